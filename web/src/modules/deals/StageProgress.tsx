import { Group, Select, Stack, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Deal } from '../../../../common/api/deals';
import type { Pipeline, Stage } from '../../../../common/api/pipelines';
import classes from './deals.module.css';

interface Props {
  deal: Deal;
  pipeline: Pipeline | undefined;
  /** Stage ids the deal has been in (from its history). */
  visited: Set<string>;
  canMove: boolean;
  moving: boolean;
  onMove: (stage: Stage) => void;
}

/** The pipeline as a progress bar: passed stages, the current one, the closing ones; plus «Перевести на этап». */
export function StageProgress({ deal, pipeline, visited, canMove, moving, onMove }: Props) {
  const { t } = useTranslation();
  const stages = (pipeline?.stages ?? [])
    .filter((stage) => !stage.archived || stage.id === deal.stageId)
    .sort((a, b) => a.position - b.position);
  const open = stages.filter((stage) => stage.kind === 'open');
  const currentIndex = stages.findIndex((stage) => stage.id === deal.stageId);
  const openIndex = open.findIndex((stage) => stage.id === deal.stageId);
  const movable = canMove && deal.status === 'open';

  const className = (stage: Stage, index: number) => {
    const list = [classes.step];
    if (movable && stage.id !== deal.stageId) list.push(classes.stepClickable);
    if (stage.id === deal.stageId)
      list.push(stage.kind === 'won' ? classes.stepWon : stage.kind === 'lost' ? classes.stepLost : classes.stepCurrent);
    else if (stage.kind === 'open' && (deal.status === 'won' || (deal.status === 'open' && index < currentIndex) || visited.has(stage.id)))
      list.push(classes.stepDone);
    return list.join(' ');
  };

  const caption =
    deal.status === 'open' && openIndex >= 0
      ? `${t('deals.detail.stepOf', { n: openIndex + 1, total: open.length })}: ${deal.stageName}`
      : deal.stageName;

  return (
    <Stack gap="xs">
      <div className={classes.steps} role="list" aria-label={t('deals.detail.stage')}>
        {stages.map((stage, index) => (
          <Tooltip key={stage.id} label={stage.name} withArrow openDelay={150}>
            <button
              type="button"
              role="listitem"
              className={className(stage, index)}
              aria-label={stage.name}
              aria-current={stage.id === deal.stageId ? 'step' : undefined}
              disabled={!movable || stage.id === deal.stageId || moving}
              onClick={() => onMove(stage)}
            />
          </Tooltip>
        ))}
      </div>
      <Group justify="space-between" align="flex-end" gap="sm">
        <Text fw={600} c={deal.status === 'won' ? 'green.8' : deal.status === 'lost' ? 'red.8' : undefined} data-testid="deal-stage">
          {caption}
        </Text>
        {movable ? (
          <Select
            aria-label={t('deals.detail.moveTo')}
            placeholder={t('deals.detail.moveTo')}
            data={stages
              .filter((stage) => stage.id !== deal.stageId && !stage.archived)
              .map((stage) => ({ value: stage.id, label: stage.name }))}
            value={null}
            disabled={moving}
            onChange={(id) => {
              const stage = stages.find((s) => s.id === id);
              if (stage) onMove(stage);
            }}
            w={{ base: '100%', xs: 240 }}
          />
        ) : null}
      </Group>
    </Stack>
  );
}
