import { ActionIcon, Button, Group, NumberInput, Paper, Select, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { useElementSize } from '@mantine/hooks';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { emptyItem, lineAmounts, totals, type DraftItem } from './items';
import { formatMoney, formatQuantity, valueToVat, vatLabel, vatOptions, vatToValue } from './format';
import { MoneyInput } from './MoneyInput';
import { ProductInput } from './ProductInput';

interface Props {
  items: DraftItem[];
  onChange: (items: DraftItem[]) => void;
  /** `N.field` → message (client checks and the server's `items.N.field`). */
  errors?: Record<string, string>;
  readOnly?: boolean;
  /** Cards instead of a table. Containers narrower than 720 px (phones, side columns) always get cards. */
  stacked?: boolean;
}

/** Line items of a deal: product from the catalogue or free text, quantity, price with VAT, VAT rate; totals below. */
export function ItemsEditor(props: Props) {
  const { ref, width } = useElementSize();
  return (
    <div ref={ref}>
      <ItemsEditorBody {...props} stacked={props.stacked || (width > 0 && width < 720)} />
    </div>
  );
}

function ItemsEditorBody({ items, onChange, errors = {}, readOnly = false, stacked = false }: Props) {
  const { t } = useTranslation();
  const cards = stacked;
  const sum = totals(items);

  const update = (index: number, patch: Partial<DraftItem>) =>
    onChange(items.map((item, i) => (i === index ? { ...item, ...patch } : item)));
  const remove = (index: number) => onChange(items.filter((_, i) => i !== index));

  const fields = (item: DraftItem, index: number, withLabels: boolean) => {
    const amounts = lineAmounts(item);
    const n = index + 1;
    return {
      product: (
        <ProductInput
          label={withLabels ? t('deals.items.product') : undefined}
          aria-label={`${t('deals.items.product')} ${n}`}
          name={item.name}
          fromCatalog={Boolean(item.productId)}
          error={errors[`${index}.name`] ?? errors[`${index}.productId`]}
          onType={(name) => update(index, { name, productId: null, sku: null })}
          onPick={(product) =>
            update(index, {
              productId: product.id,
              name: product.name,
              sku: product.sku,
              unit: product.unit,
              price: product.price,
              vatRate: product.vatRate,
            })
          }
        />
      ),
      quantity: (
        <NumberInput
          label={withLabels ? t('deals.items.quantity') : undefined}
          aria-label={`${t('deals.items.quantity')} ${n}`}
          value={item.quantity}
          onChange={(value) => update(index, { quantity: value })}
          min={0}
          decimalScale={3}
          decimalSeparator=","
          thousandSeparator=" "
          hideControls
          error={errors[`${index}.quantity`]}
          rightSection={
            item.unit ? (
              <Text size="xs" c="dimmed">
                {item.unit}
              </Text>
            ) : undefined
          }
        />
      ),
      price: (
        <MoneyInput
          label={withLabels ? t('deals.items.price') : undefined}
          aria-label={`${t('deals.items.price')} ${n}`}
          value={item.price}
          onChange={(price) => update(index, { price })}
          invalidMessage={t('deals.items.priceInvalid')}
          error={errors[`${index}.price`]}
          styles={{ input: { textAlign: 'right' } }}
        />
      ),
      vat: (
        <Select
          label={withLabels ? t('deals.items.vat') : undefined}
          aria-label={`${t('deals.items.vat')} ${n}`}
          data={vatOptions()}
          value={vatToValue(item.vatRate)}
          onChange={(value) => update(index, { vatRate: valueToVat(value) })}
          error={errors[`${index}.vatRate`]}
        />
      ),
      total: (
        <Text className="tabular-nums" fw={500} ta="right" style={{ whiteSpace: 'nowrap' }}>
          {amounts ? formatMoney(amounts.total) : t('common.dash')}
        </Text>
      ),
      remove: (
        <ActionIcon
          color="red"
          onClick={() => remove(index)}
          aria-label={`${t('deals.items.remove')} ${n}`}
          title={t('deals.items.remove')}
        >
          <IconTrash size={18} stroke={1.6} />
        </ActionIcon>
      ),
    };
  };

  const footer = (
    <Stack gap={2} align="flex-end" mt="sm">
      <Group gap="xs">
        <Text c="dimmed">{t('deals.items.sum')}:</Text>
        <Text fw={700} size="lg" className="tabular-nums" data-testid="deal-items-total">
          {formatMoney(sum.total)}
        </Text>
      </Group>
      <Text size="sm" c="dimmed" className="tabular-nums">
        {sum.hasVat ? `${t('deals.items.vatIncluded')}: ${formatMoney(sum.vat)}` : t('deals.items.noVat')}
      </Text>
    </Stack>
  );

  if (readOnly) {
    if (items.length === 0) return <Text c="dimmed">{t('deals.items.empty')}</Text>;
    if (cards) {
      return (
        <Stack gap="xs">
          {items.map((item) => (
            <Group key={item.key} justify="space-between" align="flex-start" wrap="nowrap" gap="sm" data-testid="deal-item">
              <div style={{ minWidth: 0 }}>
                <Text size="sm" fw={500}>
                  {item.name}
                </Text>
                <Text size="xs" c="dimmed" className="tabular-nums">
                  {typeof item.quantity === 'number' ? formatQuantity(item.quantity) : item.quantity} ×{' '}
                  {item.price === null ? t('common.dash') : formatMoney(item.price)} · {vatLabel(item.vatRate)}
                </Text>
              </div>
              <Text size="sm" fw={500} className="tabular-nums" style={{ whiteSpace: 'nowrap' }}>
                {formatMoney(lineAmounts(item)?.total ?? 0)}
              </Text>
            </Group>
          ))}
          {footer}
        </Stack>
      );
    }
    return (
      <>
        <Table.ScrollContainer minWidth={560}>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('deals.items.product')}</Table.Th>
                <Table.Th ta="right">{t('deals.items.quantity')}</Table.Th>
                <Table.Th ta="right">{t('deals.items.price')}</Table.Th>
                <Table.Th>{t('deals.items.vat')}</Table.Th>
                <Table.Th ta="right">{t('deals.items.total')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((item) => (
                <Table.Tr key={item.key}>
                  <Table.Td>{item.name}</Table.Td>
                  <Table.Td ta="right" className="tabular-nums">
                    {typeof item.quantity === 'number' ? formatQuantity(item.quantity) : item.quantity}
                  </Table.Td>
                  <Table.Td ta="right" className="tabular-nums">
                    {item.price === null ? t('common.dash') : formatMoney(item.price)}
                  </Table.Td>
                  <Table.Td>{vatLabel(item.vatRate)}</Table.Td>
                  <Table.Td ta="right" className="tabular-nums">
                    {formatMoney(lineAmounts(item)?.total ?? 0)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {footer}
      </>
    );
  }

  const addButton = (
    <Button
      variant="light"
      leftSection={<IconPlus size={16} />}
      onClick={() => onChange([...items, emptyItem()])}
      style={{ alignSelf: 'flex-start' }}
    >
      {t('deals.items.add')}
    </Button>
  );

  if (cards) {
    return (
      <Stack gap="sm">
        {items.length === 0 ? (
          <Text c="dimmed" size="sm">
            {t('deals.items.empty')}
          </Text>
        ) : null}
        {items.map((item, index) => {
          const f = fields(item, index, true);
          return (
            <Paper key={item.key} p="sm" radius="md" bg="gray.0" data-testid="deal-item">
              <Stack gap="xs">
                <Group align="flex-end" gap="xs" wrap="nowrap">
                  <div style={{ flex: 1, minWidth: 0 }}>{f.product}</div>
                  {f.remove}
                </Group>
                <SimpleGrid cols={{ base: 2, xs: 3 }} spacing="xs">
                  {f.quantity}
                  {f.price}
                  {f.vat}
                </SimpleGrid>
                <Group justify="space-between">
                  <Text size="sm" c="dimmed">
                    {t('deals.items.total')}
                  </Text>
                  {f.total}
                </Group>
              </Stack>
            </Paper>
          );
        })}
        {addButton}
        {footer}
      </Stack>
    );
  }

  return (
    <Stack gap="sm">
      {items.length === 0 ? (
        <Text c="dimmed" size="sm">
          {t('deals.items.empty')}
        </Text>
      ) : (
        <Table verticalSpacing="xs" highlightOnHover={false} layout="fixed">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('deals.items.product')}</Table.Th>
              <Table.Th w={84}>{t('deals.items.quantity')}</Table.Th>
              <Table.Th w={130}>{t('deals.items.price')}</Table.Th>
              <Table.Th w={132}>{t('deals.items.vat')}</Table.Th>
              <Table.Th w={130} ta="right">
                {t('deals.items.total')}
              </Table.Th>
              <Table.Th w={44} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((item, index) => {
              const f = fields(item, index, false);
              return (
                <Table.Tr key={item.key} data-testid="deal-item" style={{ verticalAlign: 'top' }}>
                  <Table.Td>{f.product}</Table.Td>
                  <Table.Td>{f.quantity}</Table.Td>
                  <Table.Td>{f.price}</Table.Td>
                  <Table.Td>{f.vat}</Table.Td>
                  <Table.Td pt={14}>{f.total}</Table.Td>
                  <Table.Td pt={8}>{f.remove}</Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
      {addButton}
      {footer}
    </Stack>
  );
}
