import { Button, Flex, Modal, ModalBody, ModalFooter, Text, useExtensionActions } from '@hubspot/ui-extensions';
import type { ReactNode } from 'react';

interface Props {
  id: string;
  label: string;
  title: string;
  message: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  /** The opening button's look (the modal's confirm button follows `danger`). */
  variant?: 'primary' | 'secondary';
  size?: 'xs' | 'sm' | 'md';
  disabled?: boolean;
  onConfirm: () => void;
}

/** A button that opens a confirmation modal; the action runs only after "confirm". */
export function ConfirmButton({ id, label, title, message, confirmLabel, danger, variant, size = 'xs', disabled, onConfirm }: Props) {
  const { closeOverlay } = useExtensionActions<'crm.record.sidebar' | 'settings' | 'home'>();
  return (
    <Button
      variant={danger ? 'destructive' : (variant ?? 'primary')}
      size={size}
      disabled={disabled}
      testId={`${id}-button`}
      overlay={
        <Modal id={id} title={title} width="sm" variant={danger ? 'danger' : 'default'}>
          <ModalBody>{typeof message === 'string' ? <Text>{message}</Text> : message}</ModalBody>
          <ModalFooter>
            <Flex direction="row" gap="sm" justify="end">
              <Button variant="secondary" testId={`${id}-cancel`} onClick={() => closeOverlay(id)}>
                Cancel
              </Button>
              <Button
                variant={danger ? 'destructive' : 'primary'}
                testId={`${id}-confirm`}
                onClick={() => {
                  closeOverlay(id);
                  onConfirm();
                }}
              >
                {confirmLabel}
              </Button>
            </Flex>
          </ModalFooter>
        </Modal>
      }
    >
      {label}
    </Button>
  );
}
