import { ActionIcon, Button, createTheme, Menu, Modal, Paper, Select, Table, type MantineColorsTuple } from '@mantine/core';

/** A deep, calm blue: professional, readable, prints well. */
const brand: MantineColorsTuple = [
  '#edf2fb',
  '#d8e1f2',
  '#adc0e5',
  '#809dd8',
  '#5b80cd',
  '#436dc7',
  '#3663c5',
  '#2953ae',
  '#20489c',
  '#133d8a',
];

export const theme = createTheme({
  colors: { brand },
  primaryColor: 'brand',
  primaryShade: { light: 7, dark: 5 },
  defaultRadius: 'md',
  fontFamily: 'Inter, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif',
  headings: {
    fontWeight: '650',
    sizes: {
      h1: { fontSize: '1.75rem' },
      h2: { fontSize: '1.375rem' },
      h3: { fontSize: '1.125rem' },
    },
  },
  cursorType: 'pointer',
  components: {
    Button: Button.extend({ defaultProps: { radius: 'md' } }),
    ActionIcon: ActionIcon.extend({ defaultProps: { variant: 'subtle', color: 'gray' } }),
    Modal: Modal.extend({ defaultProps: { centered: true, overlayProps: { backgroundOpacity: 0.45, blur: 2 } } }),
    Menu: Menu.extend({ defaultProps: { shadow: 'md', withinPortal: true } }),
    Paper: Paper.extend({ defaultProps: { withBorder: true } }),
    Select: Select.extend({ defaultProps: { allowDeselect: false, comboboxProps: { withinPortal: true } } }),
    Table: Table.extend({ defaultProps: { verticalSpacing: 'sm', highlightOnHover: true } }),
  },
});
