import { useState } from 'react';
import { Button, Menu } from '@mantine/core';
import { IconChevronDown, IconDownload, IconFileSpreadsheet, IconFileText } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { downloadFile, type Query } from '../api/client';
import { notifyError, notifySuccess } from './notify';

interface ExportMenuProps {
  /** The list's API path, e.g. `/clients`. */
  path: string;
  /** The list's current filters, exactly as the page sends them to the list (limit and cursor are ignored). */
  query: Query;
  /** ASCII base of the fallback file name (the server names the file in Russian). */
  name: string;
}

/**
 * «Экспорт» → «Excel (XLSX)» / «CSV» on a list page: downloads every row the current filters show
 * (`GET <path>?<filters>&format=xlsx|csv`, streamed by the server, within the user's rights).
 */
export function ExportMenu({ path, query, name }: ExportMenuProps) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState<'xlsx' | 'csv' | null>(null);

  const run = async (format: 'xlsx' | 'csv') => {
    setBusy(format);
    try {
      await downloadFile(
        path,
        { ...query, limit: undefined, cursor: undefined, format },
        `${name}-${new Date().toISOString().slice(0, 10)}.${format}`,
      );
      notifySuccess(t('listExport.done'));
    } catch (error) {
      notifyError(error);
    } finally {
      setBusy(null);
    }
  };

  return (
    <Menu position="bottom-end" withinPortal shadow="md">
      <Menu.Target>
        <Button
          variant="default"
          leftSection={<IconDownload size={18} />}
          rightSection={<IconChevronDown size={14} />}
          loading={busy !== null}
          data-testid="export-menu"
        >
          {t('listExport.button')}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{t('listExport.hint')}</Menu.Label>
        <Menu.Item leftSection={<IconFileSpreadsheet size={16} />} onClick={() => void run('xlsx')} data-testid="export-xlsx">
          {t('listExport.xlsx')}
        </Menu.Item>
        <Menu.Item leftSection={<IconFileText size={16} />} onClick={() => void run('csv')} data-testid="export-csv">
          {t('listExport.csv')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
