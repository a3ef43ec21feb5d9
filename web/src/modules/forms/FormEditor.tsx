import { useState } from 'react';
import {
  ActionIcon,
  Button,
  Group,
  Input,
  MultiSelect,
  NumberInput,
  Paper,
  Radio,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/forms';
import { isApiError } from '../../api/client';
import { FormError } from '../../ui/FormError';
import { assignmentStrategyValues, DEFAULT_THANK_YOU_RU, type WebForm } from '../../../../common/api/forms';
import { usePoolUsers } from './api';
import { emptyRule, HONEYPOT_RE, mapServerFields, ORIGIN_RE, toInput, toValues, type FormValues } from './values';

interface Props {
  form?: WebForm | null;
  readOnly?: boolean;
  submitLabel: string;
  busy?: boolean;
  /** Sends the body; throws the ApiError to show. */
  onSubmit: (input: ReturnType<typeof toInput>) => Promise<void>;
}

/** The settings of a web form: name, assignment (strategy, pool, rules), SLA, allowed sites, thank-you text, honeypot. */
export function FormEditor({ form: initial, readOnly, submitLabel, busy, onSubmit }: Props) {
  const { t } = useTranslation();
  const users = usePoolUsers(!readOnly);
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<FormValues>({
    initialValues: toValues(initial),
    validate: {
      name: (v) => (v.trim() ? null : t('webForms.validation.name')),
      userIds: (v, values) => (values.strategy !== 'rules' && v.length === 0 ? t('webForms.validation.pool') : null),
      rules: {
        fieldName: (v, values, path) => {
          const i = Number(path.split('.')[1]);
          return values.strategy === 'rules' && values.rules[i]?.kind === 'field' && !v.trim() ? t('webForms.validation.ruleField') : null;
        },
        equals: (v, values) => (values.strategy === 'rules' && !v.trim() ? t('webForms.validation.ruleEquals') : null),
        userId: (v, values) => (values.strategy === 'rules' && !v ? t('webForms.validation.ruleUser') : null),
      },
      slaMinutes: (v) => {
        const n = Number(v);
        return Number.isInteger(n) && n >= 1 && n <= 7 * 24 * 60 ? null : t('webForms.validation.sla');
      },
      allowedOrigins: (v) => {
        const lines = v.split(/\r?\n/);
        for (let i = 0; i < lines.length; i++) {
          const s = lines[i].trim().replace(/\/+$/, '');
          if (s && s !== '*' && !ORIGIN_RE.test(s)) return t('webForms.validation.origin', { line: i + 1 });
        }
        return null;
      },
      honeypotField: (v) => (v.trim() && !HONEYPOT_RE.test(v.trim()) ? t('webForms.validation.honeypot') : null),
    },
  });

  const values = form.getValues();
  const userOptions = (users.data ?? []).map((u) => ({ value: u.id, label: u.name }));
  // keep pool members who are no longer active visible by id, so the admin sees and can remove them
  for (const id of values.userIds) if (!userOptions.some((o) => o.value === id)) userOptions.push({ value: id, label: id });

  const submit = form.onSubmit(async (v) => {
    setFormError(null);
    if (v.strategy === 'rules' && v.rules.length === 0) {
      form.setFieldError('rules', t('webForms.validation.rules'));
      return;
    }
    try {
      await onSubmit(toInput(v));
    } catch (error) {
      if (isApiError(error) && error.fields && Object.keys(error.fields).length) {
        const { known, rest } = mapServerFields(error.fields, v);
        form.setErrors(known);
        setFormError(rest.length ? [error.message, ...rest].join('\n') : error.status === 400 ? null : error.message);
      } else setFormError(errorMessage(error));
    }
  });

  const rulesError = form.errors.rules;

  return (
    <form onSubmit={submit} noValidate>
      <fieldset disabled={readOnly} style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }}>
        <Stack gap="md">
          <FormError message={formError} />
          <TextInput
            label={t('webForms.fields.name')}
            placeholder={t('webForms.fields.namePlaceholder')}
            required
            data-autofocus
            {...form.getInputProps('name')}
          />
          {initial ? (
            <Switch
              label={t('webForms.fields.active')}
              description={t('webForms.fields.activeHint')}
              {...form.getInputProps('active', { type: 'checkbox' })}
            />
          ) : null}

          <Radio.Group label={t('webForms.fields.strategy')} {...form.getInputProps('strategy')}>
            <SimpleGrid cols={1} spacing="xs" mt={6}>
              {assignmentStrategyValues.map((s) => (
                <Radio.Card key={s} value={s} radius="md" p="sm" data-testid={`strategy-${s}`} disabled={readOnly}>
                  <Group wrap="nowrap" align="flex-start" gap="sm">
                    <Radio.Indicator />
                    <div>
                      <Text fw={600} size="sm">
                        {t(`webForms.strategy.${s}`)}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {t(`webForms.strategyHint.${s}`)}
                      </Text>
                    </div>
                  </Group>
                </Radio.Card>
              ))}
            </SimpleGrid>
          </Radio.Group>

          <MultiSelect
            label={t('webForms.fields.pool')}
            description={t('webForms.fields.poolHint')}
            placeholder={values.userIds.length ? undefined : t('webForms.fields.poolPlaceholder')}
            data={userOptions}
            searchable
            clearable
            hidePickedOptions
            nothingFoundMessage={users.isPending ? t('app.loading') : undefined}
            comboboxProps={{ withinPortal: true }}
            {...form.getInputProps('userIds')}
          />

          {values.strategy === 'rules' ? (
            <Input.Wrapper label={t('webForms.fields.rules')} description={t('webForms.fields.rulesHint')} error={rulesError}>
              <Stack gap="xs" mt={6}>
                {values.rules.length === 0 ? (
                  <Text size="sm" c="dimmed">
                    {t('webForms.fields.noRules')}
                  </Text>
                ) : null}
                {values.rules.map((rule, i) => (
                  <Paper key={rule.key} withBorder p="xs" pr={44} radius="md" pos="relative" data-testid="rule-row">
                    <Group align="flex-start" gap="xs" wrap="wrap">
                      <Select
                        label={t('webForms.fields.ruleField')}
                        data={(['region', 'utm_source', 'field'] as const).map((k) => ({
                          value: k,
                          label: t(`webForms.fields.ruleKinds.${k}`),
                        }))}
                        allowDeselect={false}
                        style={{ flex: '1 1 130px', maxWidth: 170 }}
                        comboboxProps={{ withinPortal: true }}
                        {...form.getInputProps(`rules.${i}.kind`)}
                      />
                      {rule.kind === 'field' ? (
                        <TextInput
                          label={t('webForms.fields.ruleFieldName')}
                          placeholder={t('webForms.fields.ruleFieldNamePlaceholder')}
                          style={{ flex: '1 1 130px', maxWidth: 170 }}
                          {...form.getInputProps(`rules.${i}.fieldName`)}
                        />
                      ) : null}
                      <TextInput
                        label={t('webForms.fields.ruleEquals')}
                        placeholder={t('webForms.fields.ruleEqualsPlaceholder')}
                        style={{ flex: '1 1 140px' }}
                        {...form.getInputProps(`rules.${i}.equals`)}
                      />
                      <Select
                        label={t('webForms.fields.ruleUser')}
                        data={userOptions}
                        searchable
                        style={{ flex: '1 1 160px' }}
                        comboboxProps={{ withinPortal: true }}
                        {...form.getInputProps(`rules.${i}.userId`)}
                      />
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        pos="absolute"
                        top={30}
                        right={6}
                        size="lg"
                        aria-label={t('webForms.fields.removeRule')}
                        title={t('webForms.fields.removeRule')}
                        onClick={() => form.removeListItem('rules', i)}
                      >
                        <IconTrash size={18} />
                      </ActionIcon>
                    </Group>
                  </Paper>
                ))}
                <div>
                  <Button
                    variant="light"
                    size="xs"
                    leftSection={<IconPlus size={16} />}
                    onClick={() => {
                      form.insertListItem('rules', emptyRule());
                      form.clearFieldError('rules');
                    }}
                  >
                    {t('webForms.fields.addRule')}
                  </Button>
                </div>
              </Stack>
            </Input.Wrapper>
          ) : null}

          <NumberInput
            label={t('webForms.fields.sla')}
            description={t('webForms.fields.slaHint')}
            min={1}
            max={7 * 24 * 60}
            allowDecimal={false}
            allowNegative={false}
            thousandSeparator=" "
            styles={{ wrapper: { maxWidth: 200 } }}
            {...form.getInputProps('slaMinutes')}
          />
          <Textarea
            label={t('webForms.fields.origins')}
            description={t('webForms.fields.originsHint')}
            placeholder={t('webForms.fields.originsPlaceholder')}
            autosize
            minRows={2}
            maxRows={8}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            {...form.getInputProps('allowedOrigins')}
          />
          <Textarea
            label={t('webForms.fields.thankYou')}
            description={t('webForms.fields.thankYouHint')}
            placeholder={DEFAULT_THANK_YOU_RU}
            autosize
            minRows={2}
            maxRows={6}
            {...form.getInputProps('thankYouText')}
          />
          <TextInput
            label={t('webForms.fields.honeypot')}
            description={t('webForms.fields.honeypotHint')}
            placeholder={t('webForms.fields.honeypotPlaceholder')}
            styles={{ wrapper: { maxWidth: 320 } }}
            {...form.getInputProps('honeypotField')}
          />
          {readOnly ? null : (
            <Group justify="flex-end">
              <Button type="submit" loading={busy}>
                {submitLabel}
              </Button>
            </Group>
          )}
        </Stack>
      </fieldset>
    </form>
  );
}
