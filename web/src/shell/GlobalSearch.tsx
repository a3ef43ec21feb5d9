import { useState } from 'react';
import { TextInput } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { ModuleDefinition } from '../modules/types';

/** The header search box; Enter opens the search page of the module that provides search. */
export function GlobalSearch({ module }: { module: ModuleDefinition }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [query, setQuery] = useState('');
  const searchPath = module.searchPath;
  if (!searchPath) return null;

  return (
    <form
      role="search"
      style={{ flex: '0 1 420px' }}
      onSubmit={(event) => {
        event.preventDefault();
        const q = query.trim();
        if (q) navigate(searchPath(q));
      }}
    >
      <TextInput
        aria-label={t('search.label')}
        placeholder={t('search.placeholder')}
        leftSection={<IconSearch size={16} />}
        value={query}
        onChange={(event) => setQuery(event.currentTarget.value)}
        type="search"
      />
    </form>
  );
}
