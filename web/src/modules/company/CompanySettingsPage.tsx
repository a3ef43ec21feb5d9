import { useState } from 'react';
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Grid,
  Group,
  NumberInput,
  Paper,
  Radio,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertTriangle, IconDeviceFloppy, IconInfoCircle, IconLock } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { missingForInvoice, taxModes, type TaxMode } from '../../../../common/api/settings';
import { formatDateTimeRu } from '../../../../common/dates';
import {
  generateCorrAccount,
  validateAccount,
  validateBik,
  validateCorrAccount,
  validateInn,
  validateKpp,
  validateOgrnOrOgrnip,
} from '../../../../common/requisites';
import { isApiError } from '../../api/client';
import { applyApiErrorToForm } from '../../api/forms';
import { useAccess } from '../../auth/permissions';
import { FormError } from '../../ui/FormError';
import { notifySuccess } from '../../ui/notify';
import { PageHeader } from '../../ui/PageHeader';
import { PageLoader } from '../../ui/PageLoader';
import { QueryError } from '../../ui/QueryError';
import { useCompanySettings, useSalesHeadCandidates, useSaveCompanySettings, type CompanySettings } from './api';
import { ImageField } from './ImageField';
import './i18n';

interface Values {
  name: string;
  inn: string;
  kpp: string;
  ogrn: string;
  address: string;
  bankName: string;
  bik: string;
  account: string;
  corrAccount: string;
  director: string;
  chiefAccountant: string;
  taxMode: TaxMode;
  invoicePrefix: string;
  paymentTermDays: number | string;
  logo: string | null;
  facsimile: string | null;
  salesHeadId: string | null;
}

const valuesOf = (s: CompanySettings): Values => ({
  name: s.name,
  inn: s.inn,
  kpp: s.kpp,
  ogrn: s.ogrn,
  address: s.address,
  bankName: s.bankName,
  bik: s.bik,
  account: s.account,
  corrAccount: s.corrAccount,
  director: s.director,
  chiefAccountant: s.chiefAccountant,
  taxMode: s.taxMode,
  invoicePrefix: s.invoicePrefix,
  paymentTermDays: s.paymentTermDays,
  logo: s.logo,
  facsimile: s.facsimile,
  salesHeadId: s.salesHeadId,
});

/** Only digits (and the letters a КПП or an account may hold) survive paste of «ИНН 7707 083 893». */
const compact = (value: string) => value.replace(/[\s-]/g, '');
const opt = (value: string, check: (v: string) => string | null) => (value.trim() ? check(compact(value.trim())) : null);

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <Paper p="md" radius="md" withBorder>
      <Title order={4} mb="sm">
        {title}
      </Title>
      {children}
    </Paper>
  );
}

function CompanyForm({ settings, onReload }: { settings: CompanySettings; onReload: () => void }) {
  const { t } = useTranslation();
  const access = useAccess();
  const admin = access.can('settings', 'write');
  const save = useSaveCompanySettings();
  const candidates = useSalesHeadCandidates();
  const [formError, setFormError] = useState<string | null>(null);
  const [conflict, setConflict] = useState(false);

  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: valuesOf(settings),
    validateInputOnBlur: true,
    validate: {
      inn: (v) => opt(v, (x) => validateInn(x)),
      kpp: (v, all) => {
        if (!v.trim()) return null;
        if (compact(all.inn).length === 12) return t('company.validation.kppForIp');
        return validateKpp(compact(v).toUpperCase());
      },
      ogrn: (v) => opt(v, validateOgrnOrOgrnip),
      bik: (v) => opt(v, validateBik),
      account: (v, all) => opt(v, (x) => validateAccount(compact(all.bik), x.toUpperCase())),
      corrAccount: (v, all) => opt(v, (x) => validateCorrAccount(compact(all.bik), x)),
      invoicePrefix: (v) =>
        v.trim().length > 20 ? t('company.validation.prefixLength') : /[\\/:*?"<>|]/.test(v) ? t('company.validation.prefixChars') : null,
      paymentTermDays: (v) => {
        const n = typeof v === 'number' ? v : Number(v);
        return v === '' || !Number.isInteger(n) || n < 0 || n > 365 ? t('company.validation.paymentTerm') : null;
      },
    },
  });
  const values = form.getValues();
  const ro = !admin;
  const field = (name: keyof Values) => ({ ...form.getInputProps(name), readOnly: ro, variant: ro ? 'filled' : 'default' });

  const missing = missingForInvoice(settings).map(({ field: f }) => t(`company.field.${f}`));
  const bikOk = !validateBik(compact(values.bik));
  const suggestedCorr = bikOk ? generateCorrAccount(compact(values.bik)) : null;
  const example = `${values.invoicePrefix.trim()}17`;

  const submit = form.onSubmit(
    async (v) => {
      setFormError(null);
      setConflict(false);
      try {
        await save.mutateAsync({
          name: v.name,
          inn: compact(v.inn),
          kpp: compact(v.kpp),
          ogrn: compact(v.ogrn),
          address: v.address,
          bankName: v.bankName,
          bik: compact(v.bik),
          account: compact(v.account),
          corrAccount: compact(v.corrAccount),
          director: v.director,
          chiefAccountant: v.chiefAccountant,
          taxMode: v.taxMode,
          invoicePrefix: v.invoicePrefix,
          paymentTermDays: Number(v.paymentTermDays),
          salesHeadId: v.salesHeadId,
          // images travel only when changed: omitted = unchanged
          ...(v.logo !== settings.logo ? { logo: v.logo } : {}),
          ...(v.facsimile !== settings.facsimile ? { facsimile: v.facsimile } : {}),
          version: settings.version,
        });
        notifySuccess(t('company.saved'));
      } catch (error) {
        if (isApiError(error, 409)) {
          setConflict(true);
          return;
        }
        setFormError(applyApiErrorToForm(form, error));
      }
    },
    () => setFormError(t('company.fixErrors')),
  );

  return (
    <form onSubmit={submit} noValidate>
      <PageHeader
        title={t('company.title')}
        description={t('company.description')}
        actions={
          settings.updatedAt ? (
            <Text size="sm" c="dimmed" className="tabular-nums">
              {t('company.savedAt', { date: formatDateTimeRu(settings.updatedAt) })}
            </Text>
          ) : (
            <Badge color="orange" variant="light">
              {t('company.neverSaved')}
            </Badge>
          )
        }
      />
      <Stack gap="md">
        {ro ? (
          <Alert color="gray" variant="light" icon={<IconLock size={18} />}>
            {t('company.readOnly')}
          </Alert>
        ) : null}
        {missing.length > 0 ? (
          <Alert color="orange" variant="light" icon={<IconInfoCircle size={18} />} data-testid="company-missing">
            {t('company.missing', { fields: missing.join(', ') })}
          </Alert>
        ) : null}
        {conflict ? (
          <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} />} role="alert" data-testid="company-conflict">
            <Stack gap="xs" align="flex-start">
              <Text size="sm">{t('company.conflict')}</Text>
              <Button size="xs" variant="light" color="orange" onClick={onReload}>
                {t('company.conflictReload')}
              </Button>
            </Stack>
          </Alert>
        ) : null}
        <FormError message={formError} />

        <Grid gap="md">
          <Grid.Col span={{ base: 12, lg: 6 }}>
            <Section title={t('company.section.org')}>
              <Stack gap="sm">
                <TextInput
                  label={t('company.field.name')}
                  placeholder={t('company.field.namePlaceholder')}
                  description={t('company.field.nameHint')}
                  maxLength={500}
                  {...field('name')}
                />
                <Grid gap="sm">
                  <Grid.Col span={{ base: 12, xs: 6 }}>
                    <TextInput
                      label={t('company.field.inn')}
                      inputMode="numeric"
                      maxLength={14}
                      className="tabular-nums"
                      {...field('inn')}
                    />
                  </Grid.Col>
                  <Grid.Col span={{ base: 12, xs: 6 }}>
                    <TextInput
                      label={t('company.field.kpp')}
                      placeholder={ro ? undefined : t('company.field.kppHint')}
                      maxLength={11}
                      {...field('kpp')}
                    />
                  </Grid.Col>
                </Grid>
                <TextInput label={t('company.field.ogrn')} inputMode="numeric" maxLength={17} {...field('ogrn')} />
                <Textarea
                  label={t('company.field.address')}
                  placeholder={t('company.field.addressPlaceholder')}
                  autosize
                  minRows={2}
                  maxLength={1000}
                  {...field('address')}
                />
                <Grid gap="sm">
                  <Grid.Col span={{ base: 12, xs: 6 }}>
                    <TextInput
                      label={t('company.field.director')}
                      placeholder={t('company.field.directorPlaceholder')}
                      maxLength={200}
                      {...field('director')}
                    />
                  </Grid.Col>
                  <Grid.Col span={{ base: 12, xs: 6 }}>
                    <TextInput
                      label={t('company.field.chiefAccountant')}
                      placeholder={ro ? undefined : t('company.field.chiefAccountantHint')}
                      maxLength={200}
                      {...field('chiefAccountant')}
                    />
                  </Grid.Col>
                </Grid>
              </Stack>
            </Section>
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 6 }}>
            <Stack gap="md">
              <Section title={t('company.section.bank')}>
                <Stack gap="sm">
                  <TextInput
                    label={t('company.field.bankName')}
                    placeholder={t('company.field.bankNamePlaceholder')}
                    maxLength={300}
                    {...field('bankName')}
                  />
                  <TextInput
                    label={t('company.field.bik')}
                    inputMode="numeric"
                    maxLength={11}
                    w={{ base: '100%', xs: 200 }}
                    {...field('bik')}
                  />
                  <TextInput
                    label={t('company.field.account')}
                    inputMode="numeric"
                    maxLength={24}
                    className="tabular-nums"
                    {...field('account')}
                  />
                  <TextInput
                    label={t('company.field.corrAccount')}
                    inputMode="numeric"
                    maxLength={24}
                    {...field('corrAccount')}
                    description={
                      !ro && suggestedCorr && compact(values.corrAccount) !== suggestedCorr ? (
                        <Anchor component="button" type="button" size="xs" onClick={() => form.setFieldValue('corrAccount', suggestedCorr)}>
                          {t('company.field.corrFromBik', { account: suggestedCorr })}
                        </Anchor>
                      ) : undefined
                    }
                  />
                </Stack>
              </Section>
              <Section title={t('company.section.invoices')}>
                <Stack gap="sm">
                  <Radio.Group
                    label={t('company.field.taxMode')}
                    description={t('company.field.taxModeHint')}
                    {...form.getInputProps('taxMode')}
                  >
                    <Group gap="md" mt={8}>
                      {taxModes.map((mode) => (
                        <Radio key={mode} value={mode} label={t(`company.taxMode.${mode}`)} disabled={ro && values.taxMode !== mode} />
                      ))}
                    </Group>
                  </Radio.Group>
                  <Grid gap="sm" align="flex-end">
                    <Grid.Col span={{ base: 12, xs: 6 }}>
                      <TextInput
                        label={t('company.field.invoicePrefix')}
                        description={t('company.field.invoicePrefixHint', { example })}
                        placeholder="СЧ-"
                        maxLength={20}
                        {...field('invoicePrefix')}
                      />
                    </Grid.Col>
                    <Grid.Col span={{ base: 12, xs: 6 }}>
                      <NumberInput
                        label={t('company.field.paymentTermDays')}
                        description={t('company.field.paymentTermDaysHint')}
                        min={0}
                        max={365}
                        allowDecimal={false}
                        allowNegative={false}
                        {...field('paymentTermDays')}
                      />
                    </Grid.Col>
                  </Grid>
                </Stack>
              </Section>
            </Stack>
          </Grid.Col>
          <Grid.Col span={12}>
            <Section title={t('company.section.images')}>
              <Group gap="xl" align="flex-start" wrap="wrap">
                <ImageField
                  label={t('company.field.logo')}
                  description={t('company.field.logoHint')}
                  value={values.logo}
                  onChange={(v) => form.setFieldValue('logo', v)}
                  error={form.errors.logo}
                  readOnly={ro}
                  testId="company-logo"
                />
                <ImageField
                  label={t('company.field.facsimile')}
                  description={t('company.field.facsimileHint')}
                  value={values.facsimile}
                  onChange={(v) => form.setFieldValue('facsimile', v)}
                  error={form.errors.facsimile}
                  readOnly={ro}
                  testId="company-facsimile"
                />
              </Group>
            </Section>
          </Grid.Col>
          <Grid.Col span={12}>
            <Section title={t('company.section.routing')}>
              <Select
                label={t('company.field.salesHeadId')}
                description={t('company.field.salesHeadIdHint')}
                placeholder={t('company.field.salesHeadIdNone')}
                data={(candidates.data ?? []).map((u) => ({ value: u.id, label: u.name }))}
                searchable
                clearable={!ro}
                maw={480}
                data-testid="company-sales-head"
                {...field('salesHeadId')}
              />
            </Section>
          </Grid.Col>
        </Grid>

        {admin ? (
          <Paper
            p="sm"
            radius="md"
            withBorder
            // while there are unsaved changes the bar stays in sight at the bottom of the screen
            style={form.isDirty() ? { position: 'sticky', bottom: 8, zIndex: 5, boxShadow: 'var(--mantine-shadow-md)' } : undefined}
          >
            {/* the buttons sit on the left: toasts appear bottom right */}
            <Group gap="sm">
              <Button type="submit" leftSection={<IconDeviceFloppy size={18} />} loading={save.isPending}>
                {t('company.save')}
              </Button>
              {form.isDirty() ? (
                <>
                  <Button variant="default" onClick={() => form.reset()}>
                    {t('company.reset')}
                  </Button>
                  <Text size="sm" c="orange">
                    {t('company.unsaved')}
                  </Text>
                </>
              ) : null}
            </Group>
          </Paper>
        ) : null}
      </Stack>
    </form>
  );
}

/** Настройки → Реквизиты компании: the admin edits, everyone else reads. */
export default function CompanySettingsPage() {
  const settings = useCompanySettings();
  if (settings.isPending) return <PageLoader />;
  if (settings.isError) return <QueryError error={settings.error} onRetry={() => void settings.refetch()} />;
  // a new version (saved here or reloaded after a conflict) starts the form afresh
  return <CompanyForm key={settings.data.version} settings={settings.data} onReload={() => void settings.refetch()} />;
}
