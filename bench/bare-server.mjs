// The reference: a bare Fastify JSON route on the same machine, same Node.
import Fastify from 'fastify';
const app = Fastify();
app.get('/api/health', async () => ({ status: 'ok' }));
app.get('/bare', async () => ({ user: { id: '1', email: 'a@b.ru', name: 'Бенч', role: 'admin' }, csrfToken: 'x' }));
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
