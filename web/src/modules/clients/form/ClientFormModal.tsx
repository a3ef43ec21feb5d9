import { useMemo, useRef, useState } from 'react';
import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertTriangle, IconCopy } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { ApiError } from '../../../api/client';
import { applyApiErrorToForm } from '../../../api/forms';
import { useCurrentUser } from '../../../auth/useAuth';
import { FormError } from '../../../ui/FormError';
import { notifySuccess } from '../../../ui/notify';
import { ResponsiveModal } from '../../../ui/ResponsiveModal';
import { isDuplicateError, isStaleError, useCreateClient, useUpdateClient, useUsers, type Client, type DuplicateDetails } from '../api';
import { ClientFields } from './ClientFields';
import { clientToValues, emptyClientValues, valuesToBody, type ClientFormValues } from './clientForm';
import { useAccess } from '../../../auth/permissions';

interface Props {
  opened: boolean;
  onClose: () => void;
  /** Absent: «Новый клиент»; present: edit its «Реквизиты» (PATCH with version). */
  client?: Client;
  /** Reloads the card after a 409 stale version; resolves with the fresh client. */
  reload?: () => Promise<Client | undefined>;
}

function useOwnerChoices(enabled: boolean) {
  const users = useUsers();
  const { ownerRoles } = useAccess();
  return useMemo(() => {
    if (!enabled) return undefined;
    return (users.data ?? [])
      .filter((user) => user.active && ownerRoles.includes(user.role))
      .map((user) => ({ value: user.id, label: user.name }));
  }, [enabled, users.data, ownerRoles]);
}

/** After a failed save: scroll the modal to the form-level alert or the first invalid input (the form is long). */
function revealProblem(form: HTMLFormElement | null) {
  // twice: once the alert or the field errors (and «Реквизиты») have rendered
  requestAnimationFrame(() =>
    requestAnimationFrame(() => {
      const target = form?.querySelector('[role="alert"], [aria-invalid="true"]');
      target?.scrollIntoView({ block: 'center', behavior: 'smooth' });
    }),
  );
}

function DuplicateNotice({
  duplicate,
  canForce,
  forceLabel,
  forcing,
  onForce,
  onOpen,
}: {
  duplicate: DuplicateDetails;
  canForce: boolean;
  forceLabel: string;
  forcing: boolean;
  onForce: () => void;
  onOpen: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Alert color="orange" variant="light" icon={<IconCopy size={18} />} title={t('clients.duplicate.title')} role="alert">
      <Stack gap="xs">
        <Text size="sm">
          {duplicate.existingId
            ? t(`clients.duplicate.${duplicate.field}`, { name: duplicate.existingName })
            : t(`clients.duplicate.owned.${duplicate.field}`, { owner: duplicate.ownerName ?? t('clients.duplicate.noOwner') })}
        </Text>
        <Group gap="xs">
          {duplicate.existingId ? (
            <Button component={Link} to={`/clients/${encodeURIComponent(duplicate.existingId)}`} size="xs" variant="light" onClick={onOpen}>
              {t('clients.duplicate.open')}
            </Button>
          ) : null}
          {canForce ? (
            <Button size="xs" variant="outline" color="orange" loading={forcing} onClick={onForce}>
              {forceLabel}
            </Button>
          ) : null}
        </Group>
        {canForce ? null : (
          <Text size="xs" c="dimmed">
            {t('clients.duplicate.managerHint')}
          </Text>
        )}
      </Stack>
    </Alert>
  );
}

function ClientForm({ onClose, client, reload }: Omit<Props, 'opened'>) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const me = useCurrentUser();
  const access = useAccess();
  const manage = access.has('client.manage');
  const owners = useOwnerChoices(manage && !client);
  const create = useCreateClient();
  const update = useUpdateClient(client?.id ?? '');
  const [formError, setFormError] = useState<string | null>(null);
  const [stale, setStale] = useState(false);
  const [duplicate, setDuplicate] = useState<DuplicateDetails | null>(null);
  const [version, setVersion] = useState(client?.version ?? 0);
  const form = useForm<ClientFormValues>({
    initialValues: client ? clientToValues(client) : emptyClientValues(me.id),
    validate: {
      name: (value) => (value.trim() ? null : t('clients.validation.nameRequired')),
    },
  });
  const pending = create.isPending || update.isPending;
  const formRef = useRef<HTMLFormElement>(null);

  const save = async (values: ClientFormValues, force: boolean) => {
    setFormError(null);
    setDuplicate(null);
    setStale(false);
    const { body, remap } = valuesToBody(values);
    try {
      if (client) {
        const saved = await update.mutateAsync({ ...body, version, ...(force ? { force: true } : {}) });
        notifySuccess(t('clients.saved'));
        onClose();
        return saved;
      }
      const created = await create.mutateAsync({
        ...body,
        ...(manage && values.ownerId ? { ownerId: values.ownerId } : {}),
        ...(force ? { force: true } : {}),
      });
      notifySuccess(t('clients.created', { name: created.name }));
      onClose();
      navigate(`/clients/${encodeURIComponent(created.id)}`);
    } catch (error) {
      if (error instanceof ApiError) remap(error);
      revealProblem(formRef.current);
      if (isDuplicateError(error)) {
        applyApiErrorToForm(form, error);
        setDuplicate(error.duplicate);
        return;
      }
      if (isStaleError(error) && client && reload) {
        setStale(true);
        const fresh = await reload();
        if (fresh) {
          form.setValues(clientToValues(fresh));
          form.resetDirty();
          setVersion(fresh.version);
        }
        return;
      }
      setFormError(applyApiErrorToForm(form, error));
    }
  };

  const submit = form.onSubmit(
    (values) => void save(values, false),
    () => revealProblem(formRef.current),
  );

  return (
    <form onSubmit={submit} noValidate ref={formRef}>
      <Stack gap="md">
        {stale ? (
          <Alert color="yellow" variant="light" icon={<IconAlertTriangle size={18} />} role="alert">
            {t('clients.stale')}
          </Alert>
        ) : null}
        <FormError message={formError} />
        {duplicate ? (
          <DuplicateNotice
            duplicate={duplicate}
            canForce={manage}
            forceLabel={client ? t('clients.duplicate.forceSave') : t('clients.duplicate.force')}
            forcing={pending}
            onForce={() => void save(form.getValues(), true)}
            onOpen={onClose}
          />
        ) : null}
        <ClientFields form={form} owners={owners} requisitesOpened={Boolean(client)} />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={pending}>
            {client ? t('common.save') : t('common.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** «Новый клиент» and «Реквизиты → Изменить». */
export function ClientFormModal({ opened, onClose, client, reload }: Props) {
  const { t } = useTranslation();
  return (
    <ResponsiveModal opened={opened} onClose={onClose} size="lg" title={client ? t('clients.editTitle') : t('clients.addTitle')}>
      {opened ? <ClientForm onClose={onClose} client={client} reload={reload} /> : null}
    </ResponsiveModal>
  );
}
