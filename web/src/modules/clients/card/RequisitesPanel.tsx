import type { ReactNode } from 'react';
import { Anchor, Badge, Button, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import { IconPencil } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { Client } from '../api';
import { formatPhone } from '../format';
import { Section } from './Section';

function Item({ label, children, wide = false }: { label: string; children: ReactNode; wide?: boolean }) {
  return (
    <div style={wide ? { gridColumn: '1 / -1' } : undefined}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" component="div" style={{ overflowWrap: 'anywhere' }}>
        {children}
      </Text>
    </div>
  );
}

/** «Реквизиты»: ИНН, КПП, ОГРН, phones, e-mails, region, address, bank; «Изменить» opens the form. */
export function RequisitesPanel({ client, onEdit, bare }: { client: Client; onEdit?: () => void; bare?: boolean }) {
  const { t } = useTranslation();
  const person = client.kind === 'person';
  const items: ReactNode[] = [];
  const add = (key: string, label: string, value: ReactNode, wide = false) => {
    if (value === null || value === undefined || value === '') return;
    items.push(
      <Item key={key} label={label} wide={wide}>
        {value}
      </Item>,
    );
  };
  add('legalName', t('clients.field.legalName'), client.legalName, true);
  add('inn', t('clients.field.inn'), client.inn);
  if (!person) add('kpp', t('clients.field.kpp'), client.kpp);
  add('ogrn', person ? t('clients.field.ogrnip') : t('clients.field.ogrn'), client.ogrn);
  if (client.phones.length)
    add(
      'phones',
      t('clients.field.phones'),
      <Stack gap={0}>
        {client.phones.map((phone) => (
          <Anchor key={phone} href={`tel:${phone}`} className="tabular-nums" size="sm">
            {formatPhone(phone)}
          </Anchor>
        ))}
      </Stack>,
    );
  if (client.emails.length)
    add(
      'emails',
      t('clients.field.emails'),
      <Stack gap={0}>
        {client.emails.map((email) => (
          <Anchor key={email} href={`mailto:${email}`} size="sm">
            {email}
          </Anchor>
        ))}
      </Stack>,
    );
  add('region', t('clients.field.region'), client.region);
  add('source', t('clients.field.source'), client.source);
  add('address', t('clients.field.address'), client.address, true);
  add('bankName', t('clients.field.bankName'), client.bankName, true);
  add('bik', t('clients.field.bik'), client.bik);
  add('account', t('clients.field.account'), client.account, true);
  add('corrAccount', t('clients.field.corrAccount'), client.corrAccount, true);
  if (client.tags.length)
    add(
      'tags',
      t('clients.field.tags'),
      <Group gap={4} mt={2}>
        {client.tags.map((tag) => (
          <Badge key={tag} variant="outline" color="gray" size="sm" tt="none">
            {tag}
          </Badge>
        ))}
      </Group>,
      true,
    );

  return (
    <Section
      title={t('clients.card.requisites')}
      bare={bare}
      action={
        onEdit ? (
          <Button variant="subtle" size="compact-sm" leftSection={<IconPencil size={14} />} onClick={onEdit}>
            {t('clients.card.edit')}
          </Button>
        ) : null
      }
    >
      {items.length ? (
        <SimpleGrid cols={2} spacing="sm" verticalSpacing="sm">
          {items}
        </SimpleGrid>
      ) : (
        <Text c="dimmed" size="sm">
          {t('clients.card.noRequisites')}
        </Text>
      )}
    </Section>
  );
}
