/**
 * What other modules may use from «Задачи»: the task modal for client and deal cards, e.g.
 * `<TaskFormModal opened={open} onClose={close} defaults={{ clientId }} />` (create) or `task={task}` (open).
 */
export { TaskFormModal, type TaskDefaults, type TaskFormModalProps } from './TaskFormModal';
export { CompleteTaskModal } from './CompleteTaskModal';
export { describeRecurrence } from './recurrence';
