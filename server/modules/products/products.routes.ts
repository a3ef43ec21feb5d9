import { actorOf, type App } from '../../platform/http.js';
import type { Ctx } from '../../platform/context.js';
import { pageQuery } from '../../platform/pagination.js';
import { idParams, listResponse } from '../../../common/api/shared.js';
import { createProductBody, patchProductBody, productSchema, productsQuery } from '../../../common/api/products.js';

export function productsRoutes(app: App, ctx: Ctx) {
  const products = ctx.services.products;
  const tags = ['Товары'];

  app.get(
    '/products',
    {
      schema: {
        tags,
        summary: 'Каталог товаров и услуг',
        querystring: pageQuery.merge(productsQuery),
        response: { 200: listResponse(productSchema) },
      },
    },
    async (req) => products.list(actorOf(req), req.query),
  );

  app.get('/products/:id', { schema: { tags, params: idParams, response: { 200: productSchema } } }, async (req) =>
    products.get(actorOf(req), req.params.id),
  );

  app.post(
    '/products',
    {
      schema: {
        tags,
        summary: 'Добавить товар (администратор, бухгалтер, собственник)',
        body: createProductBody,
        response: { 201: productSchema },
      },
    },
    async (req, reply) => reply.code(201).send(await products.create(actorOf(req), req.body)),
  );

  app.patch(
    '/products/:id',
    { schema: { tags, params: idParams, body: patchProductBody, response: { 200: productSchema } } },
    async (req) => products.update(actorOf(req), req.params.id, req.body),
  );
}
