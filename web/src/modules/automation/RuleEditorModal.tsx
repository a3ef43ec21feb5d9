import { useMemo, useRef, useState } from 'react';
import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Checkbox,
  Divider,
  Group,
  Input,
  NumberInput,
  Paper,
  PasswordInput,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  TextInput,
  Textarea,
  Title,
  Tooltip,
} from '@mantine/core';
import { useForm, type UseFormReturnType } from '@mantine/form';
import { IconArrowDown, IconArrowUp, IconPlus, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { ApiError, isApiError } from '../../api/client';
import { errorMessage } from '../../api/forms';
import { FormError } from '../../ui/FormError';
import { notifySuccess } from '../../ui/notify';
import { ResponsiveModal } from '../../ui/ResponsiveModal';
import { automationTriggers, type AutomationRule, type AutomationTrigger } from '../../../../common/api/automation';
import { taskTypeValues } from '../../../../common/api/tasks';
import { useCreateRule, usePatchRule, usePipelinesForRules, useUsersForRules } from './api';
import { stageOptions } from './describe';
import { emptyAction, emptyDraft, formPath, toBody, toDraft, validateDraft, type ActionType, type RuleDraft, type WhomKind } from './draft';

type Form = UseFormReturnType<RuleDraft>;

const ACTION_TYPES: ActionType[] = ['create_task', 'move_deal', 'notify', 'webhook'];
const WHOM: WhomKind[] = ['owner', 'head', 'user'];

/** Placeholders that make sense for a trigger (deal and client always). */
function placeholdersFor(trigger: AutomationTrigger): string[] {
  const base = ['deal.title', 'client.name', 'deal.amount', 'deal.stage'];
  if (trigger.startsWith('invoice.')) return [...base, 'invoice.number'];
  if (trigger === 'review.negative') return [...base, 'review.rating', 'review.text'];
  if (trigger === 'production.done') return [...base, 'order.number'];
  if (trigger === 'lead.created') return ['lead.name', 'client.name', 'deal.title'];
  return base;
}

/** A text input for a template, with buttons inserting {deal.title}-style placeholders at the cursor. */
function TemplateField({
  form,
  path,
  label,
  placeholder,
  trigger,
  multiline,
  required,
}: {
  form: Form;
  path: string;
  label: string;
  placeholder?: string;
  trigger: AutomationTrigger;
  multiline?: boolean;
  required?: boolean;
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  const insert = (token: string) => {
    const el = ref.current;
    const value = String(form.getInputProps(path).value ?? '');
    const start = el?.selectionStart ?? value.length;
    const end = el?.selectionEnd ?? value.length;
    form.setFieldValue(path, value.slice(0, start) + token + value.slice(end));
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(start + token.length, start + token.length);
    });
  };
  const field = multiline ? (
    <Textarea
      ref={ref}
      label={label}
      placeholder={placeholder}
      autosize
      minRows={2}
      maxRows={6}
      withAsterisk={required}
      {...form.getInputProps(path)}
    />
  ) : (
    <TextInput ref={ref} label={label} placeholder={placeholder} withAsterisk={required} {...form.getInputProps(path)} />
  );
  return (
    <div>
      {field}
      <Group gap={4} mt={4} wrap="wrap">
        <Text size="xs" c="dimmed">
          {t('automation.form.placeholders')}
        </Text>
        {placeholdersFor(trigger).map((p) => (
          <Badge
            key={p}
            component="button"
            type="button"
            variant="light"
            color="gray"
            size="sm"
            tt="none"
            style={{ cursor: 'pointer' }}
            onClick={() => insert(`{${p}}`)}
          >
            {`{${p}}`}
          </Badge>
        ))}
      </Group>
    </div>
  );
}

function WhomField({
  form,
  kindPath,
  userPath,
  label,
  users,
}: {
  form: Form;
  kindPath: string;
  userPath: string;
  label: string;
  users: { value: string; label: string }[];
}) {
  const { t } = useTranslation();
  const kind = form.getInputProps(kindPath).value as WhomKind;
  return (
    <Input.Wrapper label={label} error={form.getInputProps(kindPath).error}>
      <Stack gap={6} mt={4}>
        <SegmentedControl
          fullWidth
          value={kind}
          onChange={(value) => form.setFieldValue(kindPath, value)}
          data={WHOM.map((w) => ({ value: w, label: t(`automation.form.whom.${w}`) }))}
          aria-label={label}
        />
        {kind === 'user' ? (
          <Select
            placeholder={t('automation.form.user')}
            aria-label={t('automation.form.user')}
            data={users}
            searchable
            {...form.getInputProps(userPath)}
          />
        ) : null}
      </Stack>
    </Input.Wrapper>
  );
}

function ActionEditor({
  form,
  index,
  count,
  users,
  stages,
  readOnly,
}: {
  form: Form;
  index: number;
  count: number;
  users: { value: string; label: string }[];
  stages: { value: string; label: string }[];
  readOnly: boolean;
}) {
  const { t } = useTranslation();
  const p = `actions.${index}`;
  const action = form.values.actions[index];
  const trigger = form.values.trigger;
  return (
    <Paper withBorder p="sm" radius="md" data-testid="action-editor">
      <Group justify="space-between" gap="xs" mb="xs" wrap="nowrap">
        <Text fw={600} size="sm">
          {t('automation.form.actionN', { n: index + 1 })}
        </Text>
        {!readOnly ? (
          <Group gap={2} wrap="nowrap">
            <Tooltip label={t('automation.form.moveUp')}>
              <ActionIcon
                variant="subtle"
                color="gray"
                disabled={index === 0}
                onClick={() => form.reorderListItem('actions', { from: index, to: index - 1 })}
                aria-label={t('automation.form.moveUp')}
              >
                <IconArrowUp size={16} />
              </ActionIcon>
            </Tooltip>
            <Tooltip label={t('automation.form.moveDown')}>
              <ActionIcon
                variant="subtle"
                color="gray"
                disabled={index === count - 1}
                onClick={() => form.reorderListItem('actions', { from: index, to: index + 1 })}
                aria-label={t('automation.form.moveDown')}
              >
                <IconArrowDown size={16} />
              </ActionIcon>
            </Tooltip>
            <Tooltip label={t('automation.form.removeAction')}>
              <ActionIcon
                variant="subtle"
                color="red"
                onClick={() => form.removeListItem('actions', index)}
                aria-label={t('automation.form.removeAction')}
              >
                <IconTrash size={16} />
              </ActionIcon>
            </Tooltip>
          </Group>
        ) : null}
      </Group>
      <Stack gap="sm">
        <Select
          label={t('automation.form.type')}
          data={ACTION_TYPES.map((type) => ({ value: type, label: t(`automation.form.types.${type}`) }))}
          allowDeselect={false}
          {...form.getInputProps(`${p}.type`)}
        />
        {action.type === 'create_task' ? (
          <>
            <Select
              label={t('automation.form.taskType')}
              data={taskTypeValues.map((type) => ({ value: type, label: t(`automation.taskTypes.${type}`) }))}
              allowDeselect={false}
              {...form.getInputProps(`${p}.taskType`)}
            />
            <TemplateField
              form={form}
              path={`${p}.titleTemplate`}
              label={t('automation.form.taskTitle')}
              placeholder={t('automation.form.taskTitlePlaceholder')}
              trigger={trigger}
              required
            />
            <TemplateField
              form={form}
              path={`${p}.descriptionTemplate`}
              label={t('automation.form.taskDescription')}
              trigger={trigger}
              multiline
            />
            <Input.Wrapper label={t('automation.form.due')} description={t('automation.form.dueHint')}>
              <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="xs" mt={4}>
                <NumberInput
                  label={t('automation.form.days')}
                  min={0}
                  max={3650}
                  allowDecimal={false}
                  {...form.getInputProps(`${p}.days`)}
                />
                <NumberInput
                  label={t('automation.form.hours')}
                  min={0}
                  max={10000}
                  allowDecimal={false}
                  {...form.getInputProps(`${p}.hours`)}
                />
                <NumberInput
                  label={t('automation.form.minutes')}
                  min={0}
                  max={100000}
                  allowDecimal={false}
                  {...form.getInputProps(`${p}.minutes`)}
                />
                <TextInput label={t('automation.form.atTime')} placeholder="10:00" maxLength={5} {...form.getInputProps(`${p}.atTime`)} />
              </SimpleGrid>
            </Input.Wrapper>
            <WhomField
              form={form}
              kindPath={`${p}.assigneeKind`}
              userPath={`${p}.assigneeUserId`}
              label={t('automation.form.assignee')}
              users={users}
            />
          </>
        ) : action.type === 'move_deal' ? (
          <>
            <Select
              label={t('automation.form.moveStage')}
              data={stages}
              searchable
              withAsterisk
              {...form.getInputProps(`${p}.stageCode`)}
            />
            <Checkbox label={t('automation.form.onlyForward')} {...form.getInputProps(`${p}.onlyForward`, { type: 'checkbox' })} />
          </>
        ) : action.type === 'notify' ? (
          <>
            <WhomField
              form={form}
              kindPath={`${p}.toKind`}
              userPath={`${p}.toUserId`}
              label={t('automation.form.recipient')}
              users={users}
            />
            <TemplateField form={form} path={`${p}.titleTemplate`} label={t('automation.form.notifyTitle')} trigger={trigger} required />
            <TemplateField form={form} path={`${p}.textTemplate`} label={t('automation.form.notifyText')} trigger={trigger} multiline />
          </>
        ) : (
          <>
            <TextInput
              label={t('automation.form.url')}
              placeholder={t('automation.form.urlPlaceholder')}
              withAsterisk
              inputMode="url"
              {...form.getInputProps(`${p}.url`)}
            />
            <PasswordInput
              label={t('automation.form.secret')}
              description={t('automation.form.secretHint')}
              placeholder={action.hasSecret ? t('automation.form.secretKept') : undefined}
              autoComplete="new-password"
              {...form.getInputProps(`${p}.secret`)}
            />
          </>
        )}
      </Stack>
    </Paper>
  );
}

function RuleForm({ rule, readOnly, onClose }: { rule: AutomationRule | null; readOnly: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const pipelines = usePipelinesForRules();
  const users = useUsersForRules();
  const create = useCreateRule();
  const patch = usePatchRule();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<RuleDraft>({ initialValues: rule ? toDraft(rule) : emptyDraft() });
  const v = form.values;

  const userOptions = useMemo(
    () =>
      (users.data ?? [])
        .filter((u) => u.active || [v.conditions.ownerId, ...v.actions.flatMap((a) => [a.assigneeUserId, a.toUserId])].includes(u.id))
        .map((u) => ({ value: u.id, label: u.name })),
    [users.data, v.conditions.ownerId, v.actions],
  );
  const pipelineOptions = (pipelines.data ?? [])
    .filter((p) => !p.archived || p.id === v.conditions.pipelineId)
    .map((p) => ({ value: p.id, label: p.name }));
  const stages = stageOptions(pipelines.data, v.conditions.pipelineId);
  const allStages = stageOptions(pipelines.data, null);

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    const local = validateDraft(values, t);
    if (Object.keys(local).length) {
      form.setErrors(local);
      if (local.actions) setFormError(local.actions);
      return;
    }
    const body = toBody(values);
    try {
      const saved = rule
        ? await patch.mutateAsync({
            id: rule.id,
            name: body.name,
            enabled: body.enabled,
            conditions: body.conditions,
            actions: body.actions,
            version: rule.version,
          })
        : await create.mutateAsync(body);
      notifySuccess(rule ? t('automation.saved', { name: saved.name }) : t('automation.created', { name: saved.name }));
      onClose();
    } catch (error) {
      if (isApiError(error, 409)) {
        setFormError(`${error.message}\n${t('automation.conflict')}`);
        return;
      }
      if (error instanceof ApiError && error.fields) {
        const mapped: Record<string, string> = {};
        const rest: string[] = [];
        for (const [path, message] of Object.entries(error.fields)) {
          const target = formPath(path, values);
          if (target && target !== 'actions') mapped[target] = message;
          else rest.push(message);
        }
        form.setErrors(mapped);
        setFormError(rest.length ? [error.message, ...rest].join('\n') : Object.keys(mapped).length ? null : error.message);
        return;
      }
      setFormError(errorMessage(error));
    }
  });

  const stageEntered = v.trigger === 'deal.stage_entered';

  return (
    <form onSubmit={submit} noValidate>
      <fieldset disabled={readOnly} style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }}>
        <Stack gap="md">
          <FormError message={formError} />
          <TextInput
            label={t('automation.form.name')}
            placeholder={t('automation.form.namePlaceholder')}
            withAsterisk
            {...form.getInputProps('name')}
            data-autofocus
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
            <Select
              label={t('automation.form.trigger')}
              description={rule ? t('automation.form.triggerFixed') : undefined}
              data={automationTriggers.map((tr) => ({ value: tr, label: t(`automation.trigger.${tr}`) }))}
              allowDeselect={false}
              disabled={Boolean(rule) || readOnly}
              {...form.getInputProps('trigger')}
            />
            {stageEntered ? (
              <Select
                label={t('automation.form.stageEntered')}
                placeholder={t('automation.form.stageAny')}
                data={stages}
                searchable
                clearable
                {...form.getInputProps('conditions.stageCode')}
              />
            ) : null}
          </SimpleGrid>
          <Switch label={t('automation.form.enabled')} {...form.getInputProps('enabled', { type: 'checkbox' })} />

          <Divider />
          <div>
            <Title order={4}>{t('automation.form.conditions')}</Title>
            <Text size="xs" c="dimmed">
              {t('automation.form.conditionsHint')}
            </Text>
          </div>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <Select
              label={t('automation.form.pipeline')}
              placeholder={t('automation.form.pipelineAny')}
              data={pipelineOptions}
              clearable
              {...form.getInputProps('conditions.pipelineId')}
              onChange={(value) => {
                form.setFieldValue('conditions.pipelineId', value);
                const code = form.values.conditions.stageCode;
                if (code && !stageOptions(pipelines.data, value).some((s) => s.value === code))
                  form.setFieldValue('conditions.stageCode', null);
              }}
            />
            {!stageEntered ? (
              <Select
                label={t('automation.form.stage')}
                placeholder={t('automation.form.stageAny')}
                data={stages}
                searchable
                clearable
                {...form.getInputProps('conditions.stageCode')}
              />
            ) : null}
            <TextInput
              label={t('automation.form.minAmount')}
              placeholder="0"
              inputMode="decimal"
              description={t('automation.form.amountHint')}
              {...form.getInputProps('conditions.minAmount')}
            />
            <TextInput
              label={t('automation.form.maxAmount')}
              placeholder="∞"
              inputMode="decimal"
              description={'\u00A0'}
              {...form.getInputProps('conditions.maxAmount')}
            />
            <Select
              label={t('automation.form.owner')}
              placeholder={t('automation.form.ownerAny')}
              data={userOptions}
              searchable
              clearable
              {...form.getInputProps('conditions.ownerId')}
            />
            <TextInput
              label={t('automation.form.source')}
              placeholder={t('automation.form.sourcePlaceholder')}
              {...form.getInputProps('conditions.source')}
            />
          </SimpleGrid>

          <Divider />
          <div>
            <Title order={4}>{t('automation.form.actions')}</Title>
            <Text size="xs" c="dimmed">
              {t('automation.form.actionsHint')}
            </Text>
          </div>
          {v.actions.map((action, index) => (
            <ActionEditor
              key={action.key}
              form={form}
              index={index}
              count={v.actions.length}
              users={userOptions}
              stages={v.conditions.pipelineId ? stages : allStages}
              readOnly={readOnly}
            />
          ))}
          {form.errors.actions ? (
            <Alert color="red" variant="light">
              {form.errors.actions}
            </Alert>
          ) : null}
          {!readOnly ? (
            <Button
              variant="light"
              leftSection={<IconPlus size={16} />}
              disabled={v.actions.length >= 20}
              onClick={() => form.insertListItem('actions', emptyAction())}
              style={{ alignSelf: 'flex-start' }}
            >
              {t('automation.form.addAction')}
            </Button>
          ) : null}
        </Stack>
      </fieldset>
      <Group justify="flex-end" gap="sm" mt="lg">
        <Button variant="default" onClick={onClose}>
          {readOnly ? t('common.close') : t('common.cancel')}
        </Button>
        {!readOnly ? (
          <Button type="submit" loading={create.isPending || patch.isPending}>
            {rule ? t('automation.form.save') : t('automation.form.create')}
          </Button>
        ) : null}
      </Group>
    </form>
  );
}

/** The rule editor: trigger, conditions, actions; the server's 400 `fields` appear under the inputs. */
export function RuleEditorModal({
  opened,
  rule,
  readOnly,
  onClose,
}: {
  opened: boolean;
  rule: AutomationRule | null;
  readOnly: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const title = !rule
    ? t('automation.form.createTitle')
    : readOnly
      ? t('automation.form.viewTitle', { name: rule.name })
      : t('automation.form.editTitle', { name: rule.name });
  return (
    <ResponsiveModal opened={opened} onClose={onClose} title={<Text fw={700}>{title}</Text>} size="xl">
      {opened ? <RuleForm key={rule ? `${rule.id}:${rule.version}` : 'new'} rule={rule} readOnly={readOnly} onClose={onClose} /> : null}
    </ResponsiveModal>
  );
}
