import { useState } from 'react';
import {
  Anchor,
  Badge,
  Button,
  Center,
  Group,
  Paper,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDebouncedValue } from '@mantine/hooks';
import { IconPlus, IconSearch } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { Product } from '../../../../../common/api/products';
import { applyApiErrorToForm } from '../../../api/forms';
import { FormError } from '../../../ui/FormError';
import { notifySuccess } from '../../../ui/notify';
import { PageHeader } from '../../../ui/PageHeader';
import { PageLoader } from '../../../ui/PageLoader';
import { QueryError } from '../../../ui/QueryError';
import { ResponsiveModal } from '../../../ui/ResponsiveModal';
import '../i18n';
import { useProducts, useSaveProduct } from '../api';
import { formatMoney, valueToVat, vatLabel, vatOptions, vatToValue } from '../format';
import { MoneyInput } from '../MoneyInput';

function ProductForm({ product, onClose }: { product: Product | null; onClose: () => void }) {
  const { t } = useTranslation();
  const saveProduct = useSaveProduct();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({
    initialValues: {
      sku: product?.sku ?? '',
      name: product?.name ?? '',
      unit: product?.unit ?? 'шт',
      price: product?.price ?? (null as number | null),
      vatRate: vatToValue(product ? product.vatRate : 22),
      archived: product?.archived ?? false,
    },
    validate: {
      name: (v) => (v.trim() ? null : t('validation.required')),
      price: (v) => (v === null ? t('productsAdmin.priceInvalid') : null),
    },
  });
  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    const body = {
      sku: values.sku.trim() || null,
      name: values.name.trim(),
      unit: values.unit.trim() || 'шт',
      price: values.price!,
      vatRate: valueToVat(values.vatRate),
    };
    try {
      if (product) {
        await saveProduct.mutateAsync({ id: product.id, version: product.version, archived: values.archived, ...body });
        notifySuccess(t('productsAdmin.saved'));
      } else {
        await saveProduct.mutateAsync(body);
        notifySuccess(t('productsAdmin.created', { name: body.name }));
      }
      onClose();
    } catch (error) {
      setFormError(applyApiErrorToForm(form, error));
    }
  });
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <FormError message={formError} />
        <TextInput label={t('productsAdmin.name')} withAsterisk data-autofocus {...form.getInputProps('name')} />
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="md">
          <TextInput label={t('productsAdmin.sku')} {...form.getInputProps('sku')} />
          <TextInput label={t('productsAdmin.unit')} {...form.getInputProps('unit')} />
          <MoneyInput
            label={t('productsAdmin.price')}
            withAsterisk
            value={form.values.price}
            onChange={(price) => form.setFieldValue('price', price)}
            error={form.errors.price}
            invalidMessage={t('productsAdmin.priceInvalid')}
          />
          <Select label={t('productsAdmin.vat')} data={vatOptions()} {...form.getInputProps('vatRate')} />
        </SimpleGrid>
        {product ? (
          <Switch
            label={t('productsAdmin.archived')}
            description={t('productsAdmin.archivedHint')}
            {...form.getInputProps('archived', { type: 'checkbox' })}
          />
        ) : null}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={saveProduct.isPending}>
            {product ? t('common.save') : t('common.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Настройки → Товары (admin, accountant, owner): the catalogue with prices including VAT. */
export default function ProductsPage() {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const [archived, setArchived] = useState<'false' | 'true' | 'all'>('false');
  const products = useProducts(q, archived);
  const [editing, setEditing] = useState<Product | null | undefined>(undefined);
  const items = products.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <>
      <PageHeader
        title={t('productsAdmin.title')}
        description={t('productsAdmin.description')}
        actions={
          <Button leftSection={<IconPlus size={18} />} onClick={() => setEditing(null)}>
            {t('productsAdmin.add')}
          </Button>
        }
      />
      <Group mb="md" gap="sm" wrap="wrap">
        <TextInput
          placeholder={t('productsAdmin.search')}
          aria-label={t('productsAdmin.search')}
          leftSection={<IconSearch size={16} />}
          value={search}
          onChange={(event) => setSearch(event.currentTarget.value)}
          style={{ flex: '1 1 240px', maxWidth: 420 }}
        />
        <SegmentedControl
          value={archived}
          onChange={(value) => setArchived(value as 'false' | 'true' | 'all')}
          data={[
            { value: 'false', label: t('productsAdmin.active') },
            { value: 'true', label: t('productsAdmin.archive') },
            { value: 'all', label: t('productsAdmin.all') },
          ]}
        />
      </Group>
      <Paper p={0} radius="md" style={{ opacity: products.isPlaceholderData ? 0.6 : 1 }}>
        {products.isPending ? (
          <PageLoader />
        ) : products.isError ? (
          <QueryError error={products.error} onRetry={() => void products.refetch()} />
        ) : items.length === 0 ? (
          <Text c="dimmed" py="xl" ta="center">
            {t('productsAdmin.empty')}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={640}>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('productsAdmin.sku')}</Table.Th>
                  <Table.Th>{t('productsAdmin.name')}</Table.Th>
                  <Table.Th>{t('productsAdmin.unit')}</Table.Th>
                  <Table.Th ta="right">{t('productsAdmin.price')}</Table.Th>
                  <Table.Th>{t('productsAdmin.vat')}</Table.Th>
                  <Table.Th>{t('productsAdmin.status')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((product) => (
                  <Table.Tr key={product.id} style={{ opacity: product.archived ? 0.6 : 1 }}>
                    <Table.Td ff="monospace" c="dimmed">
                      {product.sku ?? t('common.dash')}
                    </Table.Td>
                    <Table.Td>
                      <Anchor component="button" type="button" ta="left" fw={500} c="inherit" onClick={() => setEditing(product)}>
                        {product.name}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>{product.unit}</Table.Td>
                    <Table.Td ta="right" className="tabular-nums" style={{ whiteSpace: 'nowrap' }}>
                      {formatMoney(product.price)}
                    </Table.Td>
                    <Table.Td>{vatLabel(product.vatRate)}</Table.Td>
                    <Table.Td>
                      {product.archived ? (
                        <Badge color="gray" variant="light">
                          {t('productsAdmin.archived')}
                        </Badge>
                      ) : null}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Paper>
      {products.hasNextPage ? (
        <Center mt="md">
          <Button variant="default" onClick={() => void products.fetchNextPage()} loading={products.isFetchingNextPage}>
            {t('common.loadMore')}
          </Button>
        </Center>
      ) : null}
      <ResponsiveModal
        opened={editing !== undefined}
        onClose={() => setEditing(undefined)}
        title={editing ? t('productsAdmin.editTitle') : t('productsAdmin.addTitle')}
      >
        {editing !== undefined ? <ProductForm key={editing?.id ?? 'new'} product={editing} onClose={() => setEditing(undefined)} /> : null}
      </ResponsiveModal>
    </>
  );
}
