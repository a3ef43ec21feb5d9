import { Modal, type ModalProps } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';

/** A modal that becomes full-screen on phones (≤ 36em), so forms stay usable at 375 px. */
export function ResponsiveModal(props: ModalProps) {
  const phone = useMediaQuery('(max-width: 36em)');
  return <Modal centered fullScreen={phone} size="md" {...props} />;
}
