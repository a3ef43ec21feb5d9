import { useState } from 'react';
import {
  DndContext,
  DragOverlay,
  KeyboardSensor,
  MouseSensor,
  TouchSensor,
  pointerWithin,
  rectIntersection,
  useDraggable,
  useDroppable,
  useSensor,
  useSensors,
  type CollisionDetection,
  type DragEndEvent,
  type DragStartEvent,
} from '@dnd-kit/core';
import { Anchor, Text } from '@mantine/core';
import { IconThumbDown, IconTrophy } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { Board, DealSummary } from '../../../../common/api/deals';
import { DealCard } from './DealCard';
import { formatRubles } from './format';
import classes from './deals.module.css';

type Column = Board['stages'][number];

interface Props {
  board: Board;
  /** The whole board is read-only (the accountant). */
  readOnly: boolean;
  /** Address of the list view filtered to one stage («ещё N — в списке»). */
  listLink: (stageId: string) => string;
  onMove: (deal: DealSummary, to: Column) => void;
  onLose: (deal: DealSummary, to: Column) => void;
}

const ACCENT: Record<Column['kind'], string> = {
  open: 'var(--mantine-color-brand-5)',
  won: 'var(--mantine-color-green-6)',
  lost: 'var(--mantine-color-red-6)',
};

const ZONE = 'zone:';

/**
 * Prefer the closing-stage zones (they may lie over the columns), then the column under the pointer;
 * fall back to overlapping rectangles (keyboard dragging).
 */
const collision: CollisionDetection = (args) => {
  const hits = pointerWithin(args);
  const zones = hits.filter((hit) => String(hit.id).startsWith(ZONE));
  if (zones.length > 0) return zones;
  return hits.length > 0 ? hits : rectIntersection(args);
};

/** While a card is dragged: «Успешно» and «Отказ» as wide targets at the top of the screen, whatever the scroll. */
function ClosingZone({ column }: { column: Column }) {
  const { t } = useTranslation();
  const { setNodeRef, isOver } = useDroppable({ id: `${ZONE}${column.stageId}`, data: { column } });
  const Icon = column.kind === 'won' ? IconTrophy : IconThumbDown;
  return (
    <div
      ref={setNodeRef}
      className={[classes.zone, column.kind === 'won' ? classes.zoneWon : classes.zoneLost, isOver && classes.zoneOver]
        .filter(Boolean)
        .join(' ')}
      data-testid={`drop-zone-${column.code}`}
      data-over={isOver || undefined}
    >
      <Icon size={20} stroke={1.8} />
      <span>{column.name}</span>
      <Text span size="xs" c="dimmed" visibleFrom="sm">
        {t('deals.column.dropHere')}
      </Text>
    </div>
  );
}

function DraggableCard({ deal, locked }: { deal: DealSummary; locked: boolean }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { attributes, listeners, setNodeRef, isDragging } = useDraggable({ id: deal.id, data: { deal }, disabled: locked });
  return (
    <DealCard
      ref={setNodeRef}
      deal={deal}
      locked={locked}
      dragging={isDragging}
      {...(locked ? { tabIndex: 0 } : { ...listeners, ...attributes, 'aria-label': t('deals.card.drag', { title: deal.title }) })}
      title={locked ? (deal.status !== 'open' ? t('deals.card.closed') : t('deals.card.readOnly')) : undefined}
      onClick={() => navigate(`/deals/${deal.id}`)}
      onKeyDown={(event) => {
        if (event.key === 'Enter') navigate(`/deals/${deal.id}`);
        else if (!locked) listeners?.onKeyDown?.(event);
      }}
    />
  );
}

function KanbanColumn({ column, readOnly, listLink }: { column: Column; readOnly: boolean; listLink: string }) {
  const { t } = useTranslation();
  const { setNodeRef, isOver } = useDroppable({ id: column.stageId, data: { column }, disabled: readOnly });
  const rest = column.count - column.deals.length;
  const className = [classes.column, isOver && classes.columnOver, column.kind === 'lost' && classes.columnLost].filter(Boolean).join(' ');
  return (
    <section
      ref={setNodeRef}
      className={className}
      data-testid="kanban-column"
      data-stage-code={column.code}
      data-over={isOver || undefined}
      aria-label={column.name}
    >
      <div className={classes.columnHeader} style={{ ['--column-accent' as string]: ACCENT[column.kind] }}>
        <Text fw={600} size="sm" truncate title={column.name}>
          {column.name}
        </Text>
        <Text size="xs" c="dimmed" fw={500} className="tabular-nums" data-testid="column-summary">
          {column.count} · {formatRubles(column.amount)}
        </Text>
      </div>
      <div className={classes.columnBody}>
        {column.deals.map((deal) => (
          <DraggableCard key={deal.id} deal={deal} locked={readOnly || deal.status !== 'open'} />
        ))}
        {column.deals.length === 0 ? (
          <Text size="xs" c="dimmed" ta="center" py="lg">
            {isOver ? t('deals.column.dropHere') : t('deals.column.empty')}
          </Text>
        ) : null}
        {rest > 0 ? (
          <Anchor component={Link} to={listLink} size="xs" ta="center" py={4}>
            {t('deals.column.more', { count: rest })}
          </Anchor>
        ) : null}
      </div>
    </section>
  );
}

/**
 * The kanban of one pipeline. Dragging: the mouse after 6 px, a finger after a 250 ms press (so that a swipe
 * still scrolls the board), the keyboard with Space and the arrows. Closed deals do not move.
 */
export function KanbanBoard({ board, readOnly, listLink, onMove, onLose }: Props) {
  const [active, setActive] = useState<DealSummary | null>(null);
  const sensors = useSensors(
    useSensor(MouseSensor, { activationConstraint: { distance: 6 } }),
    useSensor(TouchSensor, { activationConstraint: { delay: 250, tolerance: 8 } }),
    useSensor(KeyboardSensor),
  );

  const closing = board.stages.filter((column) => column.kind !== 'open');
  const onDragStart = (event: DragStartEvent) => setActive((event.active.data.current?.deal as DealSummary | undefined) ?? null);
  const onDragEnd = (event: DragEndEvent) => {
    setActive(null);
    const deal = event.active.data.current?.deal as DealSummary | undefined;
    const column = event.over?.data.current?.column as Column | undefined;
    if (!deal || !column || column.stageId === deal.stageId) return;
    if (column.kind === 'lost') onLose(deal, column);
    else onMove(deal, column);
  };

  return (
    <DndContext
      sensors={sensors}
      collisionDetection={collision}
      onDragStart={onDragStart}
      onDragEnd={onDragEnd}
      onDragCancel={() => setActive(null)}
    >
      <div className={classes.board} data-testid="kanban-board">
        {board.stages.map((column) => (
          <KanbanColumn key={column.stageId} column={column} readOnly={readOnly} listLink={listLink(column.stageId)} />
        ))}
      </div>
      {active ? (
        <div className={classes.zones}>
          {closing.map((column) => (
            <ClosingZone key={column.stageId} column={column} />
          ))}
        </div>
      ) : null}
      <DragOverlay dropAnimation={null} zIndex={300}>
        {active ? <DealCard deal={active} overlay /> : null}
      </DragOverlay>
    </DndContext>
  );
}
