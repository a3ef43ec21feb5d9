import { Combobox, Group, Loader, Text, TextInput, useCombobox } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconPackage } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { Product } from '../../../../common/api/products';
import { useProductSearch } from './api';
import { formatMoney } from './format';

interface Props {
  name: string;
  fromCatalog: boolean;
  error?: string;
  label?: string;
  /** Typing detaches the line from the catalogue: it becomes free text. */
  onType: (name: string) => void;
  onPick: (product: Product) => void;
  'aria-label'?: string;
}

/** A line's product: search the catalogue (GET /products?q) or type a service by hand. */
export function ProductInput({ name, fromCatalog, error, label, onType, onPick, ...aria }: Props) {
  const { t } = useTranslation();
  const combobox = useCombobox({ onDropdownClose: () => combobox.resetSelectedOption() });
  const [q] = useDebouncedValue(name.trim(), 250);
  const search = useProductSearch(q, combobox.dropdownOpened);
  const products = search.data ?? [];

  return (
    <Combobox
      store={combobox}
      withinPortal
      onOptionSubmit={(id) => {
        const product = products.find((p) => p.id === id);
        if (product) onPick(product);
        combobox.closeDropdown();
      }}
    >
      <Combobox.Target>
        <TextInput
          label={label}
          aria-label={aria['aria-label']}
          placeholder={t('deals.items.productPlaceholder')}
          value={name}
          error={error}
          autoComplete="off"
          leftSection={fromCatalog ? <IconPackage size={16} stroke={1.6} aria-label={t('deals.items.fromCatalog')} /> : undefined}
          rightSection={search.isFetching && combobox.dropdownOpened ? <Loader size={14} /> : null}
          onChange={(event) => {
            onType(event.currentTarget.value);
            combobox.openDropdown();
            combobox.updateSelectedOptionIndex();
          }}
          onClick={() => combobox.openDropdown()}
          onFocus={() => combobox.openDropdown()}
          onBlur={() => combobox.closeDropdown()}
        />
      </Combobox.Target>
      <Combobox.Dropdown hidden={!search.data}>
        <Combobox.Options mah={280} style={{ overflowY: 'auto' }}>
          {products.length === 0 ? (
            <Combobox.Empty>{t('deals.items.nothingFound')}</Combobox.Empty>
          ) : (
            products.map((product) => (
              <Combobox.Option value={product.id} key={product.id}>
                <Group justify="space-between" wrap="nowrap" gap="xs">
                  <div style={{ minWidth: 0 }}>
                    <Text size="sm" truncate>
                      {product.name}
                    </Text>
                    {product.sku ? (
                      <Text size="xs" c="dimmed">
                        {t('deals.items.sku', { sku: product.sku })}
                      </Text>
                    ) : null}
                  </div>
                  <Text size="sm" className="tabular-nums" style={{ whiteSpace: 'nowrap' }}>
                    {formatMoney(product.price)}
                    {product.unit ? ` / ${product.unit}` : ''}
                  </Text>
                </Group>
              </Combobox.Option>
            ))
          )}
        </Combobox.Options>
      </Combobox.Dropdown>
    </Combobox>
  );
}
