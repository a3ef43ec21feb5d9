import { useEffect, useState } from 'react';
import { TextInput, type TextInputProps } from '@mantine/core';
import { formatMoneyPlain, parseMoney } from '../../../../common/money';

interface Props extends Omit<TextInputProps, 'value' | 'onChange'> {
  /** Kopecks; null = empty or not a valid amount. */
  value: number | null;
  onChange: (kopecks: number | null) => void;
  /** Shown under the field while the text is not an amount. */
  invalidMessage?: string;
}

/** An amount in rubles typed the Russian way («1 234,56», «1234.5», «100 ₽») and kept as integer kopecks. */
export function MoneyInput({ value, onChange, invalidMessage, error, onBlur, ...rest }: Props) {
  const [text, setText] = useState(() => (value === null ? '' : formatMoneyPlain(value)));
  const [touched, setTouched] = useState(false);

  // Follow the value when it changes from outside (a product picked from the catalogue, a reset).
  useEffect(() => {
    const parsed = parseMoney(text);
    if (value !== null && parsed !== value) setText(formatMoneyPlain(value));
    if (value === null && parsed !== null) setText('');
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only outside changes of the value matter
  }, [value]);

  const parsed = parseMoney(text);
  const invalid = text.trim() !== '' && (parsed === null || parsed < 0);
  return (
    <TextInput
      inputMode="decimal"
      autoComplete="off"
      {...rest}
      value={text}
      error={error ?? (invalid && touched ? invalidMessage : undefined)}
      onChange={(event) => {
        const next = event.currentTarget.value;
        setText(next);
        const kopecks = parseMoney(next);
        onChange(kopecks !== null && kopecks >= 0 ? kopecks : null);
      }}
      onBlur={(event) => {
        setTouched(true);
        if (parsed !== null && parsed >= 0) setText(formatMoneyPlain(parsed));
        onBlur?.(event);
      }}
    />
  );
}
