// The console: status bar, allocation list, detail and services panes (side by side when wide,
// stacked when narrow), overlays, and the footer. Keys go through the keymap reducer in order.
import React, { useCallback, useEffect, useMemo, useReducer, useRef, useSyncExternalStore } from 'react';
import { Box, Text, useStdout } from 'ink';
import type { AllocListStub, Allocation, Namespace, ServiceRegistration } from '../nomad/types.js';
import { allocationChecksQuery, allocationListQuery, allocationQuery, namespacesQuery, servicesQuery } from '../store/queries.js';
import { useServices } from './context.js';
import { clip, fit, sanitize, wrap } from './format.js';
import { osc52 } from './actions/clipboard.js';
import type { Outcome } from './actions/outcome.js';
import { footerText, Help, helpLines, helpPage } from './Help.js';
import { useClock } from './hooks/useClock.js';
import { useKeys } from './hooks/useKeys.js';
import { useSettled } from './hooks/useSettled.js';
import { useTerminalSize } from './hooks/useTerminalSize.js';
import { useWatch } from './hooks/useWatch.js';
import { showLine } from './input/lineEditor.js';
import { bindingsFor } from './keymap.js';
import { uiReducer } from './uiReducer.js';
import { layoutFor, MIN_COLUMNS, MIN_ROWS } from './layout.js';
import { NamespacePicker } from './NamespacePicker.js';
import { ActionPrompt } from './prompts/ActionPrompt.js';
import { AllocationList, listColumns, listPageSize } from './panes/AllocationList.js';
import { Detail, describeWatch } from './panes/Detail.js';
import { AllocationZoom, zoomPage } from './panes/AllocationZoom.js';
import { JobsView, jobsPage } from './panes/JobsView.js';
import { Services } from './panes/Services.js';
import { summaryLine } from './panes/summaryLine.js';
import { anchorLine, zoomLines, zoomLinks, type ZoomLine } from './panes/zoomView.js';
import { LogView, logContext } from './panes/LogView.js';
import { NO_LOG_CONTEXT } from './logs/logState.js';
import { useLogFeed } from './hooks/useLogFeed.js';
import { saveLog } from './actions/saveLog.js';
import { reportLines, type BulkReport } from './actions/bulkSend.js';
import { statusColour } from './theme.js';
import { taskNames } from './panes/taskView.js';
import { runningTasks, TERMINAL_STATUSES } from './actions/eligibility.js';
import type { CheckResult } from '../store/allocChecks.js';
import { serviceRows } from './panes/servicesView.js';
import { initialUiState, selectedIndex, type KeyContext, type UiState } from './state/uiState.js';
import { onVisibleRowsReady, sortPending, visibleRows, visibleRowsReadyCount } from './state/visibleRows.js';
import { StatusBar } from './StatusBar.js';

const NO_ROWS: readonly AllocListStub[] = [];

/** How long the selection must rest before detail and services follow it. */
export const SETTLE_MS = 120;
/** The same while the first read comes in and the top row is the selection: a 200,000-row read
 * publishes a new top row every second or so, and each would cost four watches opened. */
export const LOADING_SETTLE_MS = 1_500;

export interface AppProps {
  namespace: string;
  onQuit: () => void;
  /** Ctrl-Z: hand the terminal back to the shell until `fg`. */
  onSuspend?: () => void;
}

function emptyListText(state: UiState, status: string, problem: string | undefined, hasData: boolean, knownNamespaces: readonly string[] | undefined): string {
  if (state.namespace !== '*' && knownNamespaces && hasData && !knownNamespaces.includes(state.namespace)) {
    return `namespace ${sanitize(state.namespace)} does not exist, or your token cannot see it: press n to pick one`;
  }
  if (status === 'error' && state.serverFilter) return 'Nomad rejected the filter expression: press f to fix it, or f Enter on an empty line to clear it';
  if (problem && !hasData) return problem;
  if (state.textFilter || state.serverFilter) return 'no allocations match the filters (Esc clears the text filter)';
  return state.namespace === '*' ? 'no allocations in any namespace' : `no allocations in namespace ${sanitize(state.namespace)} (n switches)`;
}

export function App({ namespace, onQuit, onSuspend }: AppProps): React.JSX.Element {
  const { client, theme, info } = useServices();
  const { stdout } = useStdout();
  const size = useTerminalSize();
  const now = useClock(1000);
  const [state, dispatch] = useReducer(uiReducer, namespace, initialUiState);

  const listQuery = useMemo(() => allocationListQuery(client, { namespace: state.namespace, filter: state.serverFilter }), [client, state.namespace, state.serverFilter]);
  const list = useWatch<AllocListStub[]>(listQuery);
  const namespaces = useWatch<Namespace[]>(useMemo(() => namespacesQuery(client), [client]));
  // A new sort or filter of a large list is worked out between keys: drawn again when ready.
  useSyncExternalStore(onVisibleRowsReady, visibleRowsReadyCount);
  const shown = visibleRows(list.data ?? NO_ROWS, state.textFilter, state.sort, state.jobFilter);
  const { rows } = shown;
  const sorting = sortPending();
  const cursor = selectedIndex(state, shown);
  const stub = rows[cursor];
  // Until the user has moved, the first read's pages still coming in keep the selection at the
  // top (below), where each new version may bring another row: the panes wait for it to rest
  // (the detail pane names the row meanwhile, from the list).
  const firstLoading = list.progress !== undefined && state.selectedId === undefined;
  const settledId = useSettled(stub?.ID, firstLoading ? LOADING_SETTLE_MS : SETTLE_MS);
  // Looked for only while the settle is pending, once per version of the rows (a scan of 200,000).
  const settledStub = useMemo(() => (stub?.ID === settledId ? stub : settledId === undefined ? undefined : rows.find((row) => row.ID === settledId)), [stub, settledId, rows]);
  // The same key the detail pane watches: one shared loop, read here for the task count.
  const detail = useWatch<Allocation>(useMemo(() => (settledId ? allocationQuery(client, settledId) : undefined), [client, settledId]));
  // The same key the services pane watches: whether it lists any, for Tab.
  const settledNamespace = settledStub?.Namespace ?? undefined;
  const services = useWatch<ServiceRegistration[]>(useMemo(() => (settledId && settledNamespace ? servicesQuery(client, settledId, settledNamespace) : undefined), [client, settledId, settledNamespace]));
  const namespaceOptions = useMemo(() => ['*', ...(namespaces.data ?? []).map((ns) => sanitize(ns.Name)).filter(Boolean)], [namespaces.data]);

  // The zoomed allocation (Enter): its own watches, shared with the panes when it is the selection.
  const zoomId = state.zoom?.id;
  const zoomed = useWatch<Allocation>(useMemo(() => (zoomId ? allocationQuery(client, zoomId) : undefined), [client, zoomId]));
  const zoomStub = zoomId ? (list.data ?? NO_ROWS).find((row) => row.ID === zoomId) : undefined;
  const zoomNamespace = zoomed.data?.Namespace ?? zoomStub?.Namespace ?? undefined;
  const zoomServices = useWatch<ServiceRegistration[]>(useMemo(() => (zoomId && zoomNamespace ? servicesQuery(client, zoomId, zoomNamespace) : undefined), [client, zoomId, zoomNamespace]));
  const frameBody = size.rows - 3;
  const zoomAlloc = zoomed.data?.ID === zoomId ? zoomed.data : undefined;
  const lines = useMemo(
    () => (zoomId ? zoomLines(zoomAlloc, zoomStub, zoomServices.data, size.columns - 2, now, describeWatch(zoomed, 'allocation')) : []),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [zoomId, zoomAlloc, zoomStub, zoomServices.data, size.columns, now, zoomed.status],
  );

  // The log view (l): its feed while it is open (through search, save and help), and the
  // allocation's watch for what its task is doing.
  const logs = state.logs;
  const logsOpen = logs !== undefined && state.mode !== 'logTask';
  // The feed follows these four fields, not every change of the log view's state (its scroll,
  // its search): a new target object on each would reopen the stream.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const logTarget = useMemo(() => (logs && logsOpen ? { allocId: logs.allocId, task: logs.task, type: logs.type, namespace: logs.namespace } : undefined), [logs?.allocId, logs?.task, logs?.type, logs?.namespace, logsOpen]);
  const logFeed = useLogFeed(logTarget, logs?.top);
  const logAllocId = logs?.allocId;
  const logAlloc = useWatch<Allocation>(useMemo(() => (logAllocId ? allocationQuery(client, logAllocId) : undefined), [client, logAllocId]));
  const saveRequest = state.saveLog;
  useEffect(() => {
    if (!saveRequest || !logFeed.feed) return;
    const feed = logFeed.feed;
    void saveLog(saveRequest.path, feed.savedBytes(), feed.snapshot().lines.length).then((result) => dispatch({ result }));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [saveRequest]);

  // The last bulk action's report (R), as full-screen lines.
  // Each line wrapped to the screen: a failure's whole message can be read.
  const report = useMemo((): ZoomLine[] => {
    if (!state.report) return [];
    const [title = '', ...items] = reportLines(state.report);
    return [{ text: title, tone: 'title' }, ...items.flatMap((text) => wrap(text, Math.max(10, size.columns - 4)).map((part, i): ZoomLine => ({ text: i === 0 ? part : `  ${part}`, ...(text.startsWith('✖') ? { tone: 'status', status: 'failed' } : {}) })))];
  }, [state.report, size.columns]);
  const allNamespaces = state.namespace === '*';
  // Built from the keymap once: not on every render (each key and each list change renders).
  const helpLength = useMemo(() => helpLines(bindingsFor(info.readOnly)).length, [info.readOnly]);
  const longest = allNamespaces ? shown.names.withNamespace : shown.names.plain;
  // Only ever grows: the panes' split must not move each time a long name comes and goes (a
  // moving split redraws the whole screen, and the bench caught tmux showing half of one).
  const widest = useRef(0);
  widest.current = Math.max(widest.current, longest);
  const nameLength = widest.current;
  const layout = layoutFor(size.columns, size.rows, nameLength);
  // The same key the services pane polls while it shows a running allocation: its rows, for the
  // pane's cursor (none in the compact layout, where the pane is not drawn).
  const settledRunning = detail.data?.ID === settledId && detail.data !== undefined && !TERMINAL_STATUSES.has(detail.data.ClientStatus ?? '');
  const checksShown = settledRunning && layout !== undefined && !layout.compact;
  const checks = useWatch<CheckResult[]>(useMemo(() => (settledId && checksShown ? allocationChecksQuery(client, settledId) : undefined), [client, settledId, checksShown]));
  // What `o` cycles through: the columns on screen.
  const marking = state.marks.size > 0;
  const sortable = layout ? listColumns(layout.list.width - 2, nameLength, marking).map((c) => c.key) : [];
  const ctx = useRef<Omit<KeyContext, 'read'>>({ list: NO_ROWS, pageSize: 1, namespaces: namespaceOptions, detail: { id: undefined, taskCount: 0 }, readOnly: info.readOnly, zoom: { lines: 0, page: 1, previous: undefined, next: undefined }, sortable: [], servicesShown: false, help: { lines: 0, page: 1 }, report: { lines: 0, page: 1 }, logs: NO_LOG_CONTEXT });
  const detailShown = detail.data?.ID === settledId;
  const detailTasks = detailShown ? taskNames(detail.data) : [];
  const detailRunning = detailShown ? runningTasks(detail.data) : undefined;
  ctx.current = {
    list: list.data ?? NO_ROWS,
    readOnly: info.readOnly,
    namespaces: namespaceOptions,
    detail: { id: detailShown ? settledId : undefined, taskCount: detailTasks.length, tasks: detailTasks, running: detailRunning },
    zoomTasks: zoomAlloc ? taskNames(zoomAlloc) : [],
    logs: logContext(logFeed.snapshot, frameBody),
    zoom: { lines: Math.max(0, lines.length - 1), page: zoomPage(frameBody), ...zoomLinks(zoomAlloc) },
    sortable,
    servicesShown: (services.data?.length ?? 0) > 0 && !layout?.compact,
    serviceRows: serviceRows(services.data, checksShown ? checks.data : undefined).length,
    help: { lines: helpLength, page: helpPage(state.zoom || state.helpFrom !== 'list' ? frameBody : (layout?.side.height ?? 1)) },
    report: { lines: Math.max(0, report.length - 1), page: zoomPage(frameBody) },
    pageSize: state.mode === 'jobs' ? jobsPage(frameBody) : layout ? listPageSize(layout.list.height) : 1,
  };
  useKeys((key, read) => dispatch({ key, ctx: { ...ctx.current, read } }));
  const shownId = stub?.ID;
  // The selection holds on to the allocation under it, so rows arriving above never slide
  // another under it; but until the user has moved, the first read's pages still coming in
  // keep it at the top, where the newest changes are.
  useEffect(() => {
    if (shownId && shownId !== state.selectedId && !firstLoading) dispatch({ pin: shownId, cursor });
  }, [shownId, state.selectedId, cursor, firstLoading]);
  useEffect(() => {
    if (state.quit) onQuit();
  }, [state.quit, onQuit]);
  useEffect(() => {
    if (state.suspends) onSuspend?.();
  }, [state.suspends, onSuspend]);
  // OSC 52 moves no cursor: written between frames, it leaves Ink's drawing as it was.
  useEffect(() => {
    if (state.copy) stdout.write(osc52(state.copy.text));
  }, [state.copy, stdout]);
  // `z` on a pane: once the zoom's lines hold that pane's section, scroll to it (as far as the
  // lines allow).
  const anchor = state.zoom?.anchor;
  const zoomPageRows = zoomPage(frameBody);
  useEffect(() => {
    if (!anchor) return;
    const at = anchorLine(lines, anchor);
    // The title is lines[0], drawn apart: the scroll counts the lines after it.
    if (at !== undefined) dispatch({ zoomAt: Math.min(at - 1, Math.max(0, lines.length - 1 - zoomPageRows)) });
  }, [anchor, lines, zoomPageRows]);
  const promptDone = useCallback((outcome: Outcome) => dispatch({ promptDone: outcome }), []);
  const promptRunning = useCallback((running: readonly string[]) => dispatch({ promptRunning: running }), []);
  const bulkProgress = useCallback((progress: { done: number; failed: number }) => dispatch({ bulkProgress: progress }), []);
  const bulkDone = useCallback((done: BulkReport) => dispatch({ bulkDone: done }), []);
  // An allocation that leaves the list leaves the marks (a namespace switch leaves them all).
  const listData = list.data;
  useEffect(() => {
    if (listData && state.marks.size) dispatch({ pruneMarks: listData });
  }, [listData, state.marks]);

  if (!layout) {
    // The minimum size first: it is what the user needs, however narrow the terminal.
    return <Text wrap="truncate">{fit(`needs ${MIN_COLUMNS}x${MIN_ROWS}, this is ${size.columns}x${size.rows} (q quits)`, size.columns)}</Text>;
  }

  const editing = state.mode === 'textFilter' || state.mode === 'serverFilter';
  const prompting = state.mode === 'prompt' || state.mode === 'promptText';
  const listProblem = describeWatch(list, 'allocations');
  const filterError = list.status === 'error' && state.serverFilter ? sanitize((list.error as { body?: string } | undefined)?.body ?? list.error?.message ?? '') : '';
  let bottom: React.JSX.Element;
  if (editing) {
    const prompt = state.mode === 'textFilter' ? '/' : 'Nomad filter expression: ';
    bottom = <Text wrap="truncate" color={theme.accent}>{clip(`${prompt}${showLine(state.draft)}  (${footerText(undefined, Infinity, state.mode)})`, size.columns)}</Text>;
  } else if ((state.mode === 'logSearch' || state.mode === 'logSave') && logs) {
    const prompt = state.mode === 'logSearch' ? '/' : 'save to: ';
    bottom = <Text wrap="truncate" color={theme.accent}>{clip(`${prompt}${showLine(logs.draft)}  (${footerText(undefined, Infinity, state.mode)})`, size.columns)}</Text>;
  } else if (state.result) {
    bottom = <Text wrap="truncate" color={state.result.ok ? theme.ok : theme.danger}>{clip(state.result.text, size.columns)}</Text>;
  } else if (filterError) {
    bottom = <Text wrap="truncate" color={theme.danger}>{clip(`filter rejected: ${filterError}`, size.columns)}</Text>;
  } else {
    bottom = <Text wrap="truncate" dimColor>{clip(footerText(bindingsFor(info.readOnly), size.columns, state.mode === 'zoom' || state.mode === 'jobs' || state.mode === 'report' || state.mode === 'logs' || state.mode === 'logTask' ? state.mode : 'list'), size.columns)}</Text>;
  }

  const listPane = (
    <AllocationList
      rows={rows}
      total={list.data?.length ?? 0}
      loading={list.progress}
      sorting={sorting}
      selected={cursor}
      width={layout.list.width}
      height={layout.list.height}
      focused={state.focus === 'list'}
      sort={state.sort}
      textFilter={state.textFilter}
      jobFilter={state.jobFilter}
      serverFilter={state.serverFilter}
      allNamespaces={state.namespace === '*'}
      emptyText={emptyListText(state, list.status, listProblem, list.data !== undefined, namespaces.data?.map((ns) => sanitize(ns.Name)))}
      now={now}
      nameLength={nameLength}
      marks={state.marks}
    />
  );
  let side: React.JSX.Element;
  if (prompting && state.prompt) {
    side = <ActionPrompt prompt={state.prompt} width={layout.side.width} height={layout.side.height} onRunning={promptRunning} onDone={promptDone} onProgress={bulkProgress} onBulkDone={bulkDone} />;
  } else if (state.mode === 'help') {
    side = <Help width={layout.side.width} height={layout.side.height} scroll={state.helpScroll} />;
  } else if (state.mode === 'namespace') {
    side = <NamespacePicker options={namespaceOptions} cursor={state.namespaceCursor} current={state.namespace} width={layout.side.width} height={layout.side.height} note={describeWatch(namespaces, 'namespaces')} />;
  } else if (layout.compact) {
    // The list and one line about the selection; Enter shows the rest.
    side = <Text wrap="truncate" color={statusColour(theme, settledStub?.ClientStatus)}>{clip(summaryLine(settledStub, detail.data), size.columns)}</Text>;
  } else {
    side = (
      <Box flexDirection="column">
        <Detail allocId={settledId} stub={settledStub ?? (firstLoading ? stub : undefined)} width={layout.detail.width} height={layout.detail.height} focused={state.focus === 'detail'} taskIndex={state.taskIndex} now={now} />
        <Services allocId={settledId} namespace={settledStub?.Namespace ?? undefined} running={settledRunning} width={layout.services.width} height={layout.services.height} focused={state.focus === 'services'} cursor={state.servicesCursor} now={now} />
      </Box>
    );
  }
  const inLogs = state.mode === 'logs' || state.mode === 'logSearch' || state.mode === 'logSave' || state.mode === 'logTask';
  const fullScreen = inLogs || state.mode === 'zoom' || state.mode === 'jobs' || state.mode === 'report' || (state.mode === 'help' && (state.zoom || state.helpFrom !== 'list'));
  const body =
    state.mode === 'jobs' ? (
      <JobsView list={list.data ?? NO_ROWS} cursor={state.jobsCursor} width={size.columns} height={frameBody} />
    ) : fullScreen ? (
      state.mode === 'help' ? (
        <Help width={size.columns} height={frameBody} scroll={state.helpScroll} />
      ) : inLogs && logs ? (
        <LogView
          logs={logs}
          snapshot={logFeed.snapshot}
          width={size.columns}
          height={frameBody}
          task={logAlloc.data?.ID === logs.allocId ? logAlloc.data.TaskStates?.[logs.task] ?? undefined : undefined}
          picker={state.mode === 'logTask' ? { tasks: (logs.from === 'zoom' ? ctx.current.zoomTasks : ctx.current.detail.tasks) ?? [], cursor: state.logTaskCursor } : undefined}
        />
      ) : state.mode === 'report' ? (
        <AllocationZoom lines={report} scroll={state.reportScroll} width={size.columns} height={frameBody} />
      ) : (
        <AllocationZoom lines={lines} scroll={state.zoom?.scroll ?? 0} width={size.columns} height={frameBody} />
      )
    ) : (
      <Box flexDirection={layout.wide ? 'row' : 'column'}>
        {layout.compact && (state.mode === 'help' || prompting || state.mode === 'namespace') ? null : listPane}
        {side}
      </Box>
    );
  return (
    <Box flexDirection="column" width={size.columns} height={layout.frameHeight}>
      <StatusBar width={size.columns} namespace={state.namespace} job={state.jobFilter} marked={state.marks.size} now={now} />
      {body}
      {bottom}
    </Box>
  );
}
