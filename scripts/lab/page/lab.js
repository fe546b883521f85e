// The lab page: pick a lesson, run it, and watch its events arrive.
//
// Everything drawn comes from the run's trace events (the Trace Event
// Format, streamed by the server as the child process writes them): request
// slices and their phases, pool members' tasks, the loop's heartbeat, the
// counters. `window.lab.model()` returns what is drawn as data, so a test can
// check the picture against the run's own record.

const token = document.querySelector('meta[name="lab-token"]').content;
const withToken = (path) => `${path}${path.includes('?') ? '&' : '?'}token=${token}`;
const $ = (id) => document.getElementById(id);

/** A blocked loop: the 10 ms heartbeat did not tick for this long. */
const GAP_MS = 50;
const COLORS = {
  queued: '#c3c9d1',
  connecting: '#e6a23c',
  waiting: '#4a7fd4',
  body: '#3aa65b',
  task: '#8a5cc7',
  gap: '#d9463b',
  deadline: '#b8321f',
  abort: '#e6a23c',
  cancelled: '#7a4a00',
};

/** The moments drawn as marks under the lanes: a deadline firing, an abort, a request cancelled. */
const MOMENTS = ['deadline', 'abort', 'cancelled'];

const state = { examples: [], selected: null, running: null, runs: [], drawPending: false };

async function api(path, body) {
  const response = await fetch(withToken(path), {
    method: body ? 'POST' : 'GET',
    headers: body ? { 'content-type': 'application/json', 'x-lab-token': token } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const data = await response.json();
  if (!response.ok) throw new Error(data.error ?? `HTTP ${response.status}`);
  return data;
}

// --- the examples and their options ---------------------------------------

function showExamples() {
  const nav = $('examples');
  nav.replaceChildren(
    ...state.examples.map((example) => {
      const button = document.createElement('button');
      button.type = 'button';
      button.dataset.example = example.name;
      button.innerHTML = `<strong></strong><small></small>`;
      button.querySelector('strong').textContent = example.name;
      button.querySelector('small').textContent = example.concept;
      button.addEventListener('click', () => select(example.name));
      return button;
    }),
  );
}

function select(name) {
  const example = state.examples.find((e) => e.name === name);
  state.selected = example;
  for (const button of $('examples').children) {
    button.setAttribute('aria-current', String(button.dataset.example === name));
  }
  $('title').textContent = example.name;
  $('about').textContent = example.lesson || example.about;
  $('strategies').textContent = example.strategies.length
    ? `strategies: ${example.strategies.join(', ')}`
    : '';
  const form = $('options');
  form.replaceChildren(...example.options.map(field));
  $('run').disabled = state.running !== null;
}

/** One option as a form field, with the bounds its spec states. */
function field(option) {
  const label = document.createElement('label');
  const caption = document.createElement('strong');
  caption.textContent = option.flag;
  const hint = document.createElement('span');
  hint.textContent = option.description;
  let input;
  if (option.kind === 'choice') {
    input = document.createElement('select');
    for (const choice of option.choices) {
      const item = document.createElement('option');
      item.value = item.textContent = choice;
      input.append(item);
    }
    input.value = option.default;
  } else {
    input = document.createElement('input');
    if (option.kind === 'flag') {
      input.type = 'checkbox';
      input.checked = option.default === true;
    } else if (option.kind === 'int' || option.kind === 'number') {
      input.type = 'number';
      if (option.min !== undefined) input.min = option.min;
      if (option.max !== undefined && option.max < 1e15) input.max = option.max;
      input.step = option.kind === 'int' ? '1' : 'any';
      input.value = option.default;
    } else {
      input.type = 'text';
      input.value = option.default ?? '';
    }
  }
  input.name = option.key;
  input.dataset.kind = option.kind;
  label.append(caption, input, hint);
  return label;
}

/** The options that differ from their defaults, typed as the spec says. */
function formValues() {
  const values = {};
  for (const input of $('options').querySelectorAll('[name]')) {
    const option = state.selected.options.find((o) => o.key === input.name);
    let value;
    if (option.kind === 'flag') value = input.checked;
    else if (option.kind === 'int' || option.kind === 'number') value = Number(input.value);
    else value = input.value;
    if (value !== option.default && !(option.kind === 'text' && value === ''))
      values[option.key] = value;
  }
  return values;
}

// --- a run ------------------------------------------------------------------

async function startRun() {
  $('status').textContent = 'starting...';
  try {
    const started = await api('/api/run', { example: state.selected.name, options: formValues() });
    $('status').textContent = `running ${started.example} ${started.argv.join(' ')}`;
  } catch (error) {
    $('status').textContent = error.message;
  }
}

async function stopRun() {
  try {
    await api('/api/stop', {});
    $('status').textContent = 'stopping...';
  } catch (error) {
    $('status').textContent = error.message;
  }
}

function listen() {
  const events = new EventSource(withToken('/api/events'));
  events.addEventListener('start', (message) => {
    const start = JSON.parse(message.data);
    const run = { ...start, events: [], stdout: '', stderr: '', exit: null };
    state.runs.push(run);
    // Two runs stack on one time axis: this one below the one before it.
    if (state.runs.length > 2) state.runs.shift();
    state.running = run;
    $('run').disabled = true;
    $('stop').disabled = false;
    $('after').hidden = true;
    redraw();
  });
  events.addEventListener('trace', (message) => {
    const run = state.running;
    if (!run) return;
    run.events.push(...JSON.parse(message.data));
    redraw();
  });
  events.addEventListener('stdout', (message) => {
    if (state.running) state.running.stdout += JSON.parse(message.data);
  });
  events.addEventListener('stderr', (message) => {
    if (state.running) state.running.stderr += JSON.parse(message.data);
  });
  events.addEventListener('end', (message) => {
    const end = JSON.parse(message.data);
    const run = state.runs.find((r) => r.id === end.id);
    if (run) run.exit = end;
    state.running = null;
    $('run').disabled = !state.selected;
    $('stop').disabled = true;
    $('status').textContent =
      end.code === 0
        ? `done: ${run?.example}`
        : `${run?.example} exited with ${end.code ?? end.signal}`;
    if (run) showAfter(run);
    // The run is whole: draw it now, not at the next throttled frame.
    draw();
  });
}

async function showAfter(run) {
  $('after').hidden = false;
  $('summary').textContent = run.stdout + (run.stderr ? `\n${run.stderr}` : '');
  const download = $('download');
  download.href = withToken(`/api/trace.json?run=${run.id}`);
  download.download = `${run.example}-${run.id}.trace.json`;
  $('perfetto').onclick = () => openInPerfetto(run);
  const sources = await api(`/api/source?example=${encodeURIComponent(run.example)}`);
  $('lesson-name').textContent = sources.lessonFile ?? 'no lesson file';
  $('lesson').textContent = sources.lesson ?? '';
  $('python-name').textContent = sources.pythonFile ?? 'no Python original';
  $('python').textContent = sources.python ?? '';
}

/** Perfetto UI's documented way in: open it, wait for its PONG, post the trace. */
function openInPerfetto(run) {
  const perfetto = 'https://ui.perfetto.dev';
  const win = window.open(perfetto);
  if (!win) return;
  const buffer = new TextEncoder().encode(
    JSON.stringify({ traceEvents: run.events, displayTimeUnit: 'ms' }),
  ).buffer;
  const ping = setInterval(() => win.postMessage('PING', perfetto), 100);
  const onMessage = (message) => {
    if (message.origin !== perfetto || message.data !== 'PONG') return;
    clearInterval(ping);
    window.removeEventListener('message', onMessage);
    win.postMessage({ perfetto: { buffer, title: `${run.example} run ${run.id}` } }, perfetto);
  };
  window.addEventListener('message', onMessage);
}

// --- from events to what is drawn -------------------------------------------

/** A run's strategies, each with its lanes, heartbeat, counters and record: what the page draws. */
function blocksOf(run) {
  const events = [...run.events].sort((a, b) => (a.ts ?? 0) - (b.ts ?? 0));
  const names = new Map();
  for (const e of events)
    if (e.ph === 'M' && e.name === 'thread_name') names.set(`${e.pid}:${e.tid}`, e.args.name);
  const blocks = [];
  const open = new Map();
  for (const e of events) {
    if (e.cat !== 'run') continue;
    if (e.ph === 'b') {
      const block = { run: run.id, example: run.example, strategy: e.name, start: e.ts, end: null };
      open.set(e.id, block);
      blocks.push(block);
    } else if (e.ph === 'e' && open.has(e.id)) open.get(e.id).end = e.ts;
  }
  const last = events.at(-1)?.ts ?? 0;
  return blocks.map((block) => {
    const end = block.end ?? last;
    const inside = events.filter((e) => e.ts >= block.start && e.ts <= end);
    const record =
      events.find((e) => e.name === 'record' && e.args?.strategy === block.strategy)?.args ?? null;
    return {
      ...block,
      end,
      durationMs: (end - block.start) / 1000,
      record,
      ...lanesOf(inside, block.start, end, names),
    };
  });
}

function lanesOf(events, start, end, names) {
  const ms = (ts) => (ts - start) / 1000;
  const requests = new Map();
  const tasks = new Map();
  const members = new Map();
  const beats = [];
  const inFlight = [];
  const shared = [];
  const loopDelay = [];
  // Counters the example's measuring code published (a load's requests each
  // second, a probe's p99): by name, each a set of series.
  const published = new Map();
  const moments = [];
  for (const e of events) {
    if (e.ph === 'i' && MOMENTS.includes(e.name)) moments.push({ name: e.name, t: ms(e.ts) });
    if (e.cat === 'request') {
      if (e.ph === 'b' && /^[A-Z]+ /.test(e.name))
        requests.set(e.id, { name: e.name, start: ms(e.ts), end: null, phases: [] });
      const request = requests.get(e.id);
      if (!request) continue;
      if (/^[A-Z]+ /.test(e.name)) {
        if (e.ph === 'e') {
          request.end = ms(e.ts);
          request.ok = e.args?.ok !== false;
        }
      } else if (e.ph === 'b') request.phases.push({ name: e.name, start: ms(e.ts), end: null });
      else {
        const phase = request.phases.findLast((p) => p.name === e.name && p.end === null);
        if (phase) phase.end = ms(e.ts);
      }
    } else if (e.cat === 'thread' || e.cat === 'process') {
      // A member's life, from its start to its exit.
      const key = `${e.pid}:${e.tid}`;
      if (!members.has(key))
        members.set(key, { track: key, name: names.get(key) ?? key, tasks: [] });
      const member = members.get(key);
      if (e.ph === 'b') member.alive = { start: ms(e.ts), end: null };
      else if (member.alive) member.alive.end = ms(e.ts);
    } else if (e.cat === 'task') {
      const key = `${e.pid}:${e.tid}`;
      if (!members.has(key))
        members.set(key, { track: key, name: names.get(key) ?? key, tasks: [] });
      if (e.ph === 'b') tasks.set(e.id, { start: ms(e.ts), end: null, member: key });
      else if (tasks.has(e.id)) {
        const task = tasks.get(e.id);
        task.end = ms(e.ts);
        members.get(key).tasks.push(task);
      }
    } else if (e.ph === 'C' && e.name === 'event loop delay') {
      beats.push(ms(e.ts));
      loopDelay.push([ms(e.ts), e.args.ms]);
    } else if (e.ph === 'C' && e.name === 'requests in flight')
      inFlight.push([ms(e.ts), e.args.requests]);
    else if (e.ph === 'C' && e.name === 'shared memory') shared.push([ms(e.ts), e.args]);
    else if (e.ph === 'C' && PUBLISHED.has(e.name)) {
      if (!published.has(e.name)) published.set(e.name, []);
      published.get(e.name).push([ms(e.ts), e.args]);
    }
  }
  // Tasks still running when the block ended are drawn to its end.
  for (const task of tasks.values()) {
    if (task.end === null) members.get(task.member).tasks.push({ ...task, end: ms(end) });
  }
  const total = ms(end);
  const gaps = [];
  const ticks = [0, ...beats, total];
  for (let i = 1; i < ticks.length; i++) {
    if (ticks[i] - ticks[i - 1] > GAP_MS) gaps.push([ticks[i - 1], ticks[i]]);
  }
  // A race's counter: the shared cell that climbs (a gate or a lock flag stays at 0 or 1).
  const cells = shared.length ? Object.keys(shared.at(-1)[1]) : [];
  const counterCell = cells.find((cell) => shared.some(([, values]) => values[cell] > 1));
  const race = counterCell ? shared.map(([t, values]) => [t, values[counterCell]]) : [];
  for (const member of members.values()) {
    if (member.alive && member.alive.end === null) member.alive.end = total;
  }
  return {
    requests: [...requests.values()].map((r) => ({ ...r, end: r.end ?? total })),
    members: [...members.values()],
    heartbeat: { beats, gaps },
    moments,
    counters: { inFlight, race, loopDelay, published: seriesOf(published) },
    race: race.length ? { cell: counterCell, final: race.at(-1)[1] } : null,
  };
}

/** The counters measuring code publishes (serve's measure.ts), with the titles of their strips. */
const PUBLISHED = new Map([
  ['requests per second', 'requests answered each second, per server and route'],
  ['/ping p99 (ms)', "/ping's p99 each second (ms), per server and route"],
]);

/**
 * Each published counter as strips draw it: its series' names, and rows of
 * [t, value per series], a value held until the series' next sample (as a
 * counter is), null before its first.
 */
function seriesOf(published) {
  return [...published].map(([name, samples]) => {
    const series = [...new Set(samples.flatMap(([, values]) => Object.keys(values)))];
    const held = Object.fromEntries(series.map((key) => [key, null]));
    const rows = samples.map(([t, values]) => {
      Object.assign(held, values);
      return [t, ...series.map((key) => held[key])];
    });
    const sums = Object.fromEntries(
      series.map((key) => [key, samples.reduce((sum, [, values]) => sum + (values[key] ?? 0), 0)]),
    );
    return { name, title: PUBLISHED.get(name), series, rows, sums };
  });
}

function model() {
  return state.runs.map((run) => ({
    id: run.id,
    example: run.example,
    exit: run.exit,
    blocks: blocksOf(run),
  }));
}

// --- drawing ----------------------------------------------------------------

/** Draw at the next frame, and at most every 100 ms: events arrive far faster than that. */
function redraw() {
  if (state.drawPending) return;
  state.drawPending = true;
  const wait = Math.max(0, 100 - (performance.now() - (state.drawnAt ?? 0)));
  setTimeout(
    () =>
      requestAnimationFrame(() => {
        state.drawPending = false;
        state.drawnAt = performance.now();
        draw();
      }),
    wait,
  );
}

/** The model's time for a block: N x L, ceil(N/C) x L or one L, as its record says. */
const idealOf = (block) =>
  typeof block.record?.idealMs === 'number' ? block.record.idealMs : null;

function draw() {
  const blocks = model().flatMap((run) => run.blocks);
  const canvas = $('lanes');
  const width = canvas.clientWidth || 800;
  const scale = window.devicePixelRatio || 1;
  const laneArea = (b) => Math.min(240, Math.max(b.requests.length * 3, 0)) + b.members.length * 14;
  const heights = blocks.map((b) => 34 + laneArea(b) + 14 + (b.moments.length > 0 ? 12 : 0));
  const height = Math.max(120, heights.reduce((sum, h) => sum + h, 0) + 24);
  canvas.width = width * scale;
  canvas.height = height * scale;
  canvas.style.height = `${height}px`;
  const g = canvas.getContext('2d');
  g.scale(scale, scale);
  g.clearRect(0, 0, width, height);
  g.font = '12px system-ui, sans-serif';
  if (blocks.length === 0) {
    g.fillStyle = '#5b6673';
    g.fillText(
      'Run an example: its requests, threads and heartbeat appear here as they happen.',
      12,
      24,
    );
    return;
  }
  // One time axis for every block: the longest run, or model, sets the scale.
  const spanMs =
    Math.max(...blocks.map((b) => Math.max(b.durationMs, idealOf(b) ?? 0))) * 1.05 || 1;
  const left = 8;
  const plot = width - left - 8;
  const x = (t) => left + (t / spanMs) * plot;
  let y = 4;
  for (const block of blocks) {
    g.fillStyle = '#1d232b';
    const wall = block.record
      ? `${block.record.wallMs.toFixed(1)} ms`
      : `${block.durationMs.toFixed(0)} ms so far`;
    const ideal = idealOf(block);
    // A race: what the shared counter ended at, against what was expected.
    const expected = block.record?.expected;
    const race =
      block.race && typeof expected === 'number'
        ? ` · counter ${block.race.final.toLocaleString('en')} of ${expected.toLocaleString('en')}: ${(expected - block.race.final).toLocaleString('en')} lost`
        : '';
    g.fillText(
      `${block.example} · ${block.strategy} · ${wall}${ideal ? ` · model ${ideal.toFixed(0)} ms` : ''}${race}`,
      left,
      y + 12,
    );
    y += 20;
    const top = y;
    for (const member of block.members) {
      g.fillStyle = '#d9dee4';
      if (member.alive)
        g.fillRect(
          x(member.alive.start),
          y + 4,
          Math.max(1, x(member.alive.end) - x(member.alive.start)),
          5,
        );
      g.fillStyle = COLORS.task;
      for (const task of member.tasks)
        g.fillRect(x(task.start), y + 2, Math.max(1, x(task.end) - x(task.start)), 9);
      y += 14;
    }
    const lane =
      block.requests.length > 0 ? Math.max(1, Math.min(3, 240 / block.requests.length)) : 0;
    for (const request of block.requests) {
      for (const phase of request.phases) {
        g.fillStyle = COLORS[phase.name] ?? COLORS.queued;
        const to = phase.end ?? request.end;
        g.fillRect(x(phase.start), y, Math.max(1, x(to) - x(phase.start)), Math.max(1, lane - 0.5));
      }
      y += lane;
    }
    // The heartbeat: a dot every 10 ms, and the gaps where the loop was blocked.
    y += 4;
    g.fillStyle = '#5b6673';
    for (const beat of block.heartbeat.beats) g.fillRect(x(beat), y + 3, 1.5, 3);
    g.fillStyle = COLORS.gap;
    for (const [from, to] of block.heartbeat.gaps) g.fillRect(x(from), y + 8, x(to) - x(from), 2);
    y += 14;
    // Deadlines, aborts and cancelled requests: a mark each, where it happened.
    if (block.moments.length > 0) {
      for (const moment of block.moments) {
        g.fillStyle = COLORS[moment.name];
        const at = x(moment.t);
        g.beginPath();
        g.moveTo(at, y);
        g.lineTo(at - 4, y + 8);
        g.lineTo(at + 4, y + 8);
        g.fill();
      }
      y += 12;
    }
    if (ideal) {
      g.strokeStyle = '#1d232b';
      g.setLineDash([4, 3]);
      g.beginPath();
      g.moveTo(x(ideal), top);
      g.lineTo(x(ideal), y - 4);
      g.stroke();
      g.setLineDash([]);
    }
    y += 4;
  }
  // The axis.
  g.fillStyle = '#5b6673';
  g.fillRect(left, y, plot, 1);
  for (const tick of axisTicks(spanMs)) {
    g.fillRect(x(tick), y, 1, 4);
    g.fillText(tick >= 1000 ? `${tick / 1000} s` : `${tick} ms`, x(tick) + 2, y + 15);
  }
  drawStrips(blocks.at(-1));
}

function axisTicks(spanMs) {
  const step =
    [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 60000].find(
      (s) => spanMs / s <= 8,
    ) ?? 60000;
  const ticks = [];
  for (let t = 0; t <= spanMs; t += step) ticks.push(t);
  return ticks;
}

let strips = [];
/**
 * Counters of the latest block as uPlot strips: requests in flight, the
 * race, the loop's delay, and what the example's measuring code published
 * (serve: requests each second, /ping's p99), each when the run has it.
 */
function drawStrips(block) {
  for (const chart of strips) chart.destroy();
  strips = [];
  const box = $('strips');
  box.replaceChildren();
  if (!block || typeof uPlot === 'undefined') return;
  const width = box.clientWidth || 600;
  const series = [
    ['requests in flight', block.counters.inFlight, ['in flight']],
    [
      'race: the shared counter, and what it should reach',
      block.counters.race.map(([t, v]) => [t, block.record?.expected ?? null, v]),
      ['expected', 'actual'],
    ],
    ['event loop delay (ms)', block.counters.loopDelay, ['delay']],
    // Named by series (server and route), so their legend shows even for one.
    ...block.counters.published.map((counter) => [
      counter.title,
      counter.rows,
      counter.series,
      true,
    ]),
  ];
  for (const [title, points, labels, named = false] of series) {
    if (points.length < 2) continue;
    const data = [points.map((p) => p[0]), ...labels.map((_, i) => points.map((p) => p[i + 1]))];
    const colors = ['#4a7fd4', '#d9463b', '#3aa65b', '#e6a23c', '#8a5cc7', '#5b6673'];
    strips.push(
      new uPlot(
        {
          title,
          width,
          height: 150,
          legend: { show: named || labels.length > 1, live: false },
          cursor: { show: false },
          // One time axis for every strip: the block's, from its start to its end.
          scales: { x: { time: false, range: () => [0, Math.max(1, block.durationMs)] } },
          axes: [{ label: 'ms from the start of the run', size: 40 }, { size: 60 }],
          series: [
            {},
            ...labels.map((label, i) => ({
              label,
              stroke: colors[i % colors.length],
              width: 1.5,
              points: { show: false },
              // A counter holds its value until the next sample: a step, not a slope.
              paths: uPlot.paths.stepped({ align: 1 }),
            })),
          ],
        },
        data,
        box,
      ),
    );
  }
}

function legend() {
  $('legend').innerHTML = Object.entries({
    queued: 'queued',
    connecting: 'connecting',
    waiting: 'waiting for the first byte',
    body: 'body',
    task: "a pool member's task",
    gap: 'loop blocked (no heartbeat for 50 ms)',
    deadline: 'a deadline fired',
    abort: 'an abort',
    cancelled: 'a request cancelled',
  })
    .map(([key, text]) => `<span><i style="background:${COLORS[key]}"></i>${text}</span>`)
    .join('');
}

window.lab = { model, state };

async function main() {
  legend();
  // On a phone the options fold away under their heading; a tap opens them.
  if (window.matchMedia('(max-width: 760px)').matches) $('options-box').open = false;
  $('run').addEventListener('click', startRun);
  $('stop').addEventListener('click', stopRun);
  window.addEventListener('resize', redraw);
  state.examples = await api('/api/examples');
  showExamples();
  // The report links each workload here as <address>#<example>.
  const wanted = decodeURIComponent(location.hash.slice(1));
  if (state.examples.some((e) => e.name === wanted)) select(wanted);
  window.addEventListener('hashchange', () => {
    const name = decodeURIComponent(location.hash.slice(1));
    if (state.examples.some((e) => e.name === name)) select(name);
  });
  listen();
  draw();
  document.body.dataset.ready = 'true';
}

main().catch((error) => {
  $('status').textContent = error.message;
});
