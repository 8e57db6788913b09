// Panel helpers over @grafana/grafana-foundation-sdk: every panel reads the provisioned Prometheus
// datasource (uid `prometheus`), and a dashboard lays its panels out row by row on the 24-column grid.
import type { Builder } from '@grafana/grafana-foundation-sdk/cog';
import {
  BigValueColorMode,
  BigValueGraphMode,
  GraphThresholdsStyleConfigBuilder,
  GraphThresholdsStyleMode,
  LegendDisplayMode,
  LegendPlacement,
  ReduceDataOptionsBuilder,
  VizLegendOptionsBuilder,
} from '@grafana/grafana-foundation-sdk/common';
import {
  type Dashboard,
  DashboardBuilder,
  MappingType,
  type Panel,
  RowBuilder,
  ThresholdsConfigBuilder,
  ThresholdsMode,
  type ValueMapping,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as StatPanel } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TimeseriesPanel } from '@grafana/grafana-foundation-sdk/timeseries';

/** monitoring/grafana/provisioning/datasources/prometheus.yml provisions this uid. */
export const DATASOURCE = { type: 'prometheus', uid: 'prometheus' };

export interface Query {
  expr: string;
  legend?: string;
}

export interface PanelSpec {
  title: string;
  description?: string;
  queries: Query[];
  unit?: string;
  /** Grid width out of 24. */
  width: number;
  /** Colour steps from a value up, over `base` below the first; dashed lines on time series. */
  thresholds?: [number, string][];
  base?: string;
  /** Value -> text, for state gauges (trading state, kill switch, breaker state). */
  states?: Record<number, [string, string]>;
  min?: number;
  max?: number;
}

const queries = (qs: Query[]) =>
  qs.map((q, i) => {
    const b = new DataqueryBuilder()
      .expr(q.expr)
      .refId(String.fromCharCode(65 + i))
      .datasource(DATASOURCE);
    return q.legend ? b.legendFormat(q.legend) : b;
  });

const thresholdSteps = (t: [number, string][] | undefined, base = 'green') =>
  new ThresholdsConfigBuilder()
    .mode(ThresholdsMode.Absolute)
    .steps([
      { value: null, color: base },
      ...(t ?? []).map(([value, color]) => ({ value, color })),
    ]);

const stateMappings = (states: PanelSpec['states']): ValueMapping[] =>
  states
    ? [
        {
          type: MappingType.ValueToText,
          options: Object.fromEntries(
            Object.entries(states).map(([v, [text, color]], index) => [v, { text, color, index }]),
          ),
        },
      ]
    : [];

export function timeseries(p: PanelSpec): Builder<Panel> {
  let b = new TimeseriesPanel()
    .title(p.title)
    .datasource(DATASOURCE)
    .span(p.width)
    .height(8)
    .unit(p.unit ?? 'short')
    .lineWidth(1)
    .fillOpacity(10)
    .legend(
      new VizLegendOptionsBuilder()
        .displayMode(LegendDisplayMode.List)
        .placement(LegendPlacement.Bottom)
        .showLegend(true),
    )
    .thresholds(thresholdSteps(p.thresholds, 'transparent'))
    .thresholdsStyle(
      new GraphThresholdsStyleConfigBuilder().mode(
        p.thresholds ? GraphThresholdsStyleMode.Dashed : GraphThresholdsStyleMode.Off,
      ),
    );
  for (const q of queries(p.queries)) b = b.withTarget(q);
  if (p.description) b = b.description(p.description);
  if (p.min !== undefined) b = b.min(p.min);
  if (p.max !== undefined) b = b.max(p.max);
  if (p.states) b = b.mappings(stateMappings(p.states));
  return b;
}

export function stat(p: PanelSpec): Builder<Panel> {
  let b = new StatPanel()
    .title(p.title)
    .datasource(DATASOURCE)
    .span(p.width)
    .height(4)
    .unit(p.unit ?? 'short')
    .colorMode(p.states ? BigValueColorMode.Background : BigValueColorMode.Value)
    .graphMode(p.states ? BigValueGraphMode.None : BigValueGraphMode.Area)
    .reduceOptions(new ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false))
    .thresholds(thresholdSteps(p.thresholds, p.base))
    .mappings(stateMappings(p.states));
  for (const q of queries(p.queries)) b = b.withTarget(q);
  if (p.description) b = b.description(p.description);
  return b;
}

export interface DashboardSpec {
  uid: string;
  title: string;
  description: string;
  tags: string[];
  rows: { title: string; panels: Builder<Panel>[] }[];
}

export function dashboard(spec: DashboardSpec): Dashboard {
  let b = new DashboardBuilder(spec.title)
    .uid(spec.uid)
    .description(spec.description)
    .tags(['ais', ...spec.tags])
    .editable()
    .refresh('30s')
    .time({ from: 'now-6h', to: 'now' })
    .timezone('utc');
  for (const row of spec.rows) {
    b = b.withRow(new RowBuilder(row.title));
    for (const panel of row.panels) b = b.withPanel(panel);
  }
  return b.build();
}
