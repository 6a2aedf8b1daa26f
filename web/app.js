/* Greenlight web UI: plain JavaScript, no build step, nothing loaded from elsewhere. */
'use strict';
const $ = (sel, root = document) => root.querySelector(sel);
const esc = s => String(s ?? '').replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
const fmt = (n, d = 1) => n == null || Number.isNaN(n) ? '–' : Number(n).toLocaleString('en', { maximumFractionDigits: d });
const time = t => t ? new Date(t).toISOString().replace('T', ' ').slice(0, 16) + ' UTC' : '–';
const state = { key: sessionStorage.getItem('greenlight.key'), me: null, events: null, page: null };

async function api(path, opts = {}) {
  const res = await fetch(path, { ...opts, headers: { 'Authorization': 'Bearer ' + state.key,
    ...(opts.body ? { 'Content-Type': 'application/json' } : {}), ...(opts.headers || {}) } });
  const type = res.headers.get('Content-Type') || '';
  const body = type.includes('json') ? await res.json() : null;
  if (!res.ok) { const e = new Error(body?.detail || res.statusText); e.status = res.status; e.problem = body; throw e; }
  return body;
}
function say(msg) { $('#live').textContent = msg; }
function problemText(e) {
  const errs = e.problem?.errors?.map(x => `${x.field}: ${x.detail}`).join('; ');
  return errs ? errs : e.message;
}

/* ---------- SVG charts ---------- */
function lineChart({ series, markers = [], hline, width = 760, height = 240, unit = 'g/kWh' }) {
  const pts = series.flatMap(s => s.points);
  if (!pts.length) { return '<p class="muted">No data yet.</p>'; }
  const xs = pts.map(p => p.x), ys = pts.map(p => p.y).concat(hline ? [hline.y] : []);
  const x0 = Math.min(...xs), x1 = Math.max(...xs), y1 = Math.max(...ys) * 1.1 || 1;
  const L = 44, B = 22, W = width - L - 8, H = height - B - 8;
  const X = x => L + (x - x0) / (x1 - x0 || 1) * W, Y = y => 8 + H - y / y1 * H;
  let s = `<svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(series.map(x => x.name).join(', '))}">`;
  for (let i = 0; i <= 4; i++) { const y = y1 * i / 4; s += `<line x1="${L}" x2="${L + W}" y1="${Y(y)}" y2="${Y(y)}" stroke="#e3ebe6"/><text x="2" y="${Y(y) + 4}">${fmt(y, 0)}</text>`; }
  for (let i = 0; i <= 4; i++) { const x = x0 + (x1 - x0) * i / 4; s += `<text x="${X(x)}" text-anchor="${i === 0 ? 'start' : i === 4 ? 'end' : 'middle'}" y="${height - 4}">${new Date(x).toISOString().slice(11, 16)}</text>`; }
  for (const se of series) {
    const d = se.points.map((p, i) => `${i ? 'L' : 'M'}${X(p.x).toFixed(1)},${Y(p.y).toFixed(1)}`).join('');
    s += `<path d="${d}" fill="none" stroke="${se.color}" stroke-width="2" ${se.dash ? 'stroke-dasharray="5 4"' : ''}/>`;
  }
  if (hline) { s += `<line x1="${L}" x2="${L + W}" y1="${Y(hline.y)}" y2="${Y(hline.y)}" stroke="#a4161a" stroke-dasharray="3 3"/><text x="${L + W}" text-anchor="end" y="${Y(hline.y) - 4}" style="fill:#a4161a">${esc(hline.label)}</text>`; }
  for (const m of markers) { if (m.x >= x0 && m.x <= x1) { s += `<circle cx="${X(m.x)}" cy="${8 + H - 6}" r="${4 + Math.min(8, m.n)}" fill="#0d5a8c" opacity=".7"><title>${esc(m.label)}</title></circle>`; } }
  s += `<text x="${L + 4}" y="16">${esc(unit)}</text>`;
  return s + '</svg>' + `<p class="muted">${series.map(x => `<span style="color:${x.color}">■</span> ${esc(x.name)}`).join(' · ')}${markers.length ? ' · <span style="color:#0d5a8c">●</span> planned releases' : ''}</p>`;
}
function barChart({ bars, width = 760, height = 220, unit = '', label = 'bar chart' }) {
  if (!bars.length) { return '<p class="muted">No data yet.</p>'; }
  const max = Math.max(...bars.map(b => b.value), 1e-9) * 1.1, L = 40, B = 36, W = width - L - 8, H = height - B - 8;
  const bw = W / bars.length;
  let s = `<svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(label)}">`;
  bars.forEach((b, i) => {
    const h = b.value / max * H;
    s += `<rect x="${L + i * bw + 2}" y="${8 + H - h}" width="${Math.max(1, bw - 4)}" height="${h}" fill="${b.color || '#1c7a46'}"><title>${esc(b.label)}: ${fmt(b.value, 3)} ${esc(unit)}</title></rect>`;
    if (bars.length <= 12 || i % Math.ceil(bars.length / 12) === 0) { s += `<text x="${L + i * bw + 2}" y="${height - 20}">${esc(b.label)}</text>`; }
  });
  s += `<text x="2" y="16">${fmt(max / 1.1, 2)}</text><text x="2" y="${8 + H}">0</text><text x="${L}" y="${height - 4}">${esc(unit)}</text>`;
  return s + '</svg>';
}

/* ---------- pages ---------- */
const pages = {
  async queues(view) {
    const [q, running] = await Promise.all([api('/api/v1/queues'), api('/api/v1/jobs?state=running&limit=50')]);
    const states = ['deferred', 'queued', 'running', 'retrying', 'succeeded', 'failed', 'cancelled'];
    view.innerHTML = `<h1>Queues</h1><div class="grid">
      <div class="card"><h2>Jobs per state</h2>${barChart({ bars: states.map(s => ({ label: s, value: q.by_state[s] || 0,
        color: { succeeded: '#1c7a46', failed: '#a4161a', running: '#0d5a8c', deferred: '#b7791f' }[s] || '#6b8f7a' })), unit: 'jobs', label: 'jobs per state' })}
        <table><thead><tr><th>State</th><th>Region</th><th>Jobs</th></tr></thead><tbody>${q.counts.map(c => `<tr><td>${esc(c.state)}</td><td>${esc(c.region)}</td><td>${c.count}</td></tr>`).join('')}</tbody></table></div>
      <div class="card"><h2>Workers online</h2>${q.workers.length ? `<table><thead><tr><th>Node</th><th>Region</th><th>Busy / slots</th><th>Heartbeat</th></tr></thead><tbody>${q.workers.map(w =>
        `<tr><td>${esc(w.node)}</td><td>${esc(w.region)}</td><td>${w.busy} / ${w.slots}</td><td>${fmt(w.last_heartbeat_age_s)} s ago</td></tr>`).join('')}</tbody></table>` : '<p class="muted">No worker online.</p>'}</div></div>
      <h2>Running</h2><table id="running"><thead><tr><th>Job</th><th>Phase</th><th>Progress</th></tr></thead><tbody>${running.jobs.map(runningRow).join('') || '<tr><td colspan="3" class="muted">Nothing running.</td></tr>'}</tbody></table>`;
  },
  async forecast(view, region) {
    const regions = state.me?.regions || [];
    region = region || regions[0] || 'es';
    const f = await api('/api/v1/forecast?region=' + encodeURIComponent(region));
    const threshold = f.release_below_g_per_kwh;
    const smoothing = f.smoothing?.active
      ? 'smoothed by its track record (' + f.smoothing.bands.map(b => `${b.lead_from_h}${b.lead_to_h === null ? '+' : '-' + b.lead_to_h} h ahead: ${b.bandwidth_minutes ? '±' + b.bandwidth_minutes + ' min' : 'as it comes'}`).join(', ') + ')'
      : f.smoothing && !f.smoothing.enabled ? 'as it comes (smoothing is switched off)' : 'as it comes';
    view.innerHTML = `<h1>Forecast</h1>
      <label for="region">Region</label><select id="region">${[...new Set(regions.concat(region))].map(r => `<option ${r === region ? 'selected' : ''}>${esc(r)}</option>`).join('')}</select>
      <div class="card"><p>Now: <strong id="current">${fmt(f.current_g_per_kwh, 0)} g/kWh</strong> · provider ${esc(f.provider?.name)} (${esc(f.provider?.signal || '')})
      · release threshold <strong id="threshold">${threshold ? fmt(threshold, 0) + ' g/kWh' : 'off'}</strong>
      · the planner takes the forecast <strong id="smoothing">${esc(smoothing)}</strong>
      ${f.last_planning_tick ? ` · last planning tick ${time(f.last_planning_tick.ran_at)}: ${f.last_planning_tick.deferred} deferred, ${f.last_planning_tick.released} released` : ''}</p>
      ${f.warnings.length ? `<ul class="warn" role="alert">${f.warnings.map(w => `<li>${esc(w)}</li>`).join('')}</ul>` : ''}
      ${lineChart({ series: [
        { name: 'forecast', color: '#0d5a8c', points: f.forecast.map(p => ({ x: Date.parse(p.from), y: p.g_per_kwh })) },
        { name: 'actual', color: '#1c7a46', dash: true, points: f.actuals.map(p => ({ x: Date.parse(p.from), y: p.g_per_kwh })) },
        ...(f.smoothing?.active ? [{ name: 'as planned', color: '#b7791f', points: f.planning_forecast.map(p => ({ x: Date.parse(p.from), y: p.g_per_kwh })) }] : [])],
        markers: f.planned_releases.map(r => ({ x: Date.parse(r.hour), n: r.jobs, label: `${r.jobs} job(s) planned at ${time(r.hour)}` })),
        hline: threshold ? { y: threshold, label: `release below ${threshold} g/kWh` } : null })}</div>`;
    $('#region').onchange = e => go('#/forecast/' + e.target.value);
  },
  async discounts(view) {
    const d = await api('/api/v1/discounts?hours=24');
    view.innerHTML = `<h1>Discounts</h1><div class="card"><h2>Price of a reference job (240p, 2 s, ${d.reference.steps} steps) by start hour</h2>
      ${barChart({ bars: d.hours.map(h => ({ label: h.hour.slice(11, 13) + 'h', value: h.credits, color: h.vs_now < 0 ? '#1c7a46' : '#b7791f' })), unit: 'credits', label: 'credits per start hour' })}
      <p class="muted">Green: cheaper than now (${fmt(d.now_credits, 2)} credits). Region ${esc(d.region)}.</p></div>
      <div class="card"><h2>Quote a job</h2><form id="quote-form">
        <label for="q-prompt">Prompt</label><input id="q-prompt" required maxlength="2000" value="a lighthouse at dawn">
        <label for="q-res">Resolution</label><select id="q-res">${['144p', '240p', '360p', '480p', '720p'].map(r => `<option ${r === '240p' ? 'selected' : ''}>${r}</option>`).join('')}</select>
        <label for="q-dur">Duration (s)</label><input id="q-dur" type="number" min="1" max="16" value="2">
        <label for="q-steps">Steps</label><input id="q-steps" type="number" min="1" max="200" value="30">
        <button type="submit">Compare options</button><p id="quote-error" class="error" role="alert"></p></form>
        <div id="quote-options"></div></div>`;
    $('#quote-form').onsubmit = async e => {
      e.preventDefault();
      const body = { prompt: $('#q-prompt').value, resolution: $('#q-res').value, duration_s: +$('#q-dur').value, steps: +$('#q-steps').value };
      try {
        const q = await api('/api/v1/quotes', { method: 'POST', body: JSON.stringify(body) });
        $('#quote-error').textContent = '';
        $('#quote-options').innerHTML = barChart({ bars: q.options.map(o => ({ label: o.label, value: o.credits, color: o.mode === 'offline' ? '#1c7a46' : '#0d5a8c' })), unit: 'credits', label: 'credits per option', height: 180 }) +
          `<table><thead><tr><th>Option</th><th>Credits</th><th>Discount</th><th>Expected gCO2e</th><th>Saved</th><th>Expected start</th><th></th></tr></thead><tbody>${q.options.map((o, i) =>
          `<tr><td>${esc(o.label)}</td><td>${fmt(o.credits, 3)}</td><td>${fmt(o.discount * 100, 0)} %</td><td>${fmt(o.expected_g, 3)}</td><td>${fmt(o.saved_g, 3)}</td><td>${time(o.expected_start)}</td>
           <td><button type="button" data-i="${i}" class="submit-option">Submit ${esc(o.label)}</button></td></tr>`).join('')}</tbody></table>`;
        document.querySelectorAll('.submit-option').forEach(b => b.onclick = async () => {
          const o = q.options[+b.dataset.i];
          const job = { ...body, mode: o.mode, ...(o.mode === 'offline' ? { deadline: o.deadline } : {}) };
          try { const created = await api('/api/v1/jobs', { method: 'POST', body: JSON.stringify(job) }); go('#/jobs/' + created.id); }
          catch (err) { $('#quote-error').textContent = problemText(err); }
        });
      } catch (err) { $('#quote-error').textContent = problemText(err); }
    };
  },
  async jobs(view, id) {
    if (id) { return jobPage(view, id); }
    const filter = new URLSearchParams(location.hash.split('?')[1] || '');
    const qs = new URLSearchParams(); ['state', 'mode'].forEach(k => filter.get(k) && qs.set(k, filter.get(k)));
    const list = await api('/api/v1/jobs?limit=100&' + qs);
    view.innerHTML = `<h1>Jobs</h1><form id="filter" class="card"><label for="f-state">State</label><select id="f-state"><option value="">any</option>${
      ['deferred', 'queued', 'running', 'retrying', 'succeeded', 'failed', 'cancelled'].map(s => `<option ${filter.get('state') === s ? 'selected' : ''}>${s}</option>`).join('')}</select>
      <label for="f-mode">Mode</label><select id="f-mode"><option value="">any</option>${['online', 'offline'].map(s => `<option ${filter.get('mode') === s ? 'selected' : ''}>${s}</option>`).join('')}</select>
      <button type="submit">Filter</button></form>
      <table><thead><tr><th>Job</th><th>State</th><th>Mode</th><th>Created</th><th>Plan</th></tr></thead><tbody>${list.jobs.map(j =>
      `<tr data-job="${j.id}"><td><a href="#/jobs/${j.id}">${esc(j.prompt.slice(0, 40))}</a><div class="muted">${j.resolution}, ${j.duration_s} s, ${j.steps} steps</div></td>
       <td><span class="state ${j.state}">${j.state}</span></td><td>${j.mode}</td><td>${time(j.created_at)}</td><td class="muted">${esc(j.plan?.reason || '')}</td></tr>`).join('')}</tbody></table>`;
    $('#filter').onsubmit = e => { e.preventDefault(); const p = new URLSearchParams(); if ($('#f-state').value) p.set('state', $('#f-state').value); if ($('#f-mode').value) p.set('mode', $('#f-mode').value); go('#/jobs?' + p); };
  },
  async admin(view) {
    const [policy, pricing] = await Promise.all([api('/api/v1/admin/policy'), api('/api/v1/admin/pricing')]);
    const field = (id, label, value, attrs = '') => `<label for="${id}">${label}</label><input id="${id}" name="${id}" value="${esc(value)}" ${attrs}><p class="fields-error" id="${id}-error"></p>`;
    view.innerHTML = `<h1>Admin</h1><div class="grid">
      <form id="policy-form" class="card"><h2>Planner policy</h2>
        <label><input type="checkbox" id="carbon_aware" ${policy.carbon_aware ? 'checked' : ''} style="width:auto"> Carbon-aware release</label>
        ${field('release_below_g_per_kwh', 'Release below (g/kWh, 0 = off)', policy.release_below_g_per_kwh, 'type="number" step="any"')}
        ${field('max_deferral_h', 'Longest deferral (h)', policy.max_deferral_h, 'type="number" step="any"')}
        ${field('slot_minutes', 'Slot (minutes)', policy.slot_minutes, 'type="number"')}
        <label><input type="checkbox" id="online_reserve_from_history" ${policy.online_reserve_from_history ? 'checked' : ''} style="width:auto"> Keep capacity for online jobs where yesterday's came</label>
        ${field('online_reserve_min', 'Least capacity kept for online jobs then (0-0.9)', policy.online_reserve_min, 'type="number" step="any"')}
        ${field('online_reserve_headroom', 'Times yesterday\'s online work kept (0.5-4)', policy.online_reserve_headroom, 'type="number" step="any"')}
        ${field('online_reserve_headroom_lead_h.full', 'All of that kept in slots up to (hours ahead)', policy.online_reserve_headroom_lead_h.full, 'type="number" step="any"')}
        ${field('online_reserve_headroom_lead_h.none', 'Only yesterday\'s online work kept from (hours ahead)', policy.online_reserve_headroom_lead_h.none, 'type="number" step="any"')}
        ${field('online_reserve', 'Capacity kept for online jobs otherwise (0-0.9)', policy.online_reserve, 'type="number" step="any"')}
        <label><input type="checkbox" id="forecast_smoothing" ${policy.forecast_smoothing ? 'checked' : ''} style="width:auto"> Smooth forecasts by their track record</label>
        <button type="submit">Save policy</button><p id="policy-msg" role="status"></p></form>
      <form id="pricing-form" class="card"><h2>Pricing</h2>
        ${field('reference_credits', 'Reference job (credits)', pricing.reference_credits, 'type="number" step="any"')}
        ${field('carbon_share', 'Carbon share (0-1)', pricing.carbon_share, 'type="number" step="any"')}
        ${field('max_offline_discount', 'Largest offline discount (0-0.95)', pricing.max_offline_discount, 'type="number" step="any"')}
        ${field('floor_credits', 'Floor (credits)', pricing.floor_credits, 'type="number" step="any"')}
        <button type="submit">Save pricing</button><p id="pricing-msg" role="status"></p></form>
      <form id="key-form" class="card"><h2>API keys</h2>${field('key_name', 'New user (account) name', '', 'required')}
        <button type="submit">Create key</button><p id="key-msg" role="status"></p></form>
      <form id="grant-form" class="card"><h2>Grant credits</h2>${field('grant_account', 'Account id', '', 'required')}${field('grant_credits', 'Credits', '100', 'type="number" step="any"')}
        <button type="submit">Grant</button><p id="grant-msg" role="status"></p></form></div>`;
    const send = async (formId, path, method, body, msgId) => {
      document.querySelectorAll(`#${formId} .fields-error`).forEach(p => p.textContent = '');
      try { const r = await api(path, { method, body: JSON.stringify(body) }); $('#' + msgId).textContent = 'Saved.'; $('#' + msgId).className = 'ok'; return r; }
      catch (e) { $('#' + msgId).textContent = e.message; $('#' + msgId).className = 'error';
        (e.problem?.errors || []).forEach(x => { const el = document.getElementById(x.field + '-error'); if (el) { el.textContent = x.detail; } }); }
    };
    const num = id => { const v = document.getElementById(id).value; return v === '' ? v : Number(v); };
    $('#policy-form').onsubmit = e => { e.preventDefault(); send('policy-form', '/api/v1/admin/policy', 'PUT', { carbon_aware: $('#carbon_aware').checked,
      release_below_g_per_kwh: num('release_below_g_per_kwh'), max_deferral_h: num('max_deferral_h'), slot_minutes: num('slot_minutes'), online_reserve: num('online_reserve'),
      online_reserve_from_history: $('#online_reserve_from_history').checked, online_reserve_min: num('online_reserve_min'),
      online_reserve_headroom: num('online_reserve_headroom'),
      online_reserve_headroom_lead_h: { full: num('online_reserve_headroom_lead_h.full'), none: num('online_reserve_headroom_lead_h.none') }, forecast_smoothing: $('#forecast_smoothing').checked }, 'policy-msg'); };
    $('#pricing-form').onsubmit = e => { e.preventDefault(); send('pricing-form', '/api/v1/admin/pricing', 'PUT', { reference_credits: num('reference_credits'),
      carbon_share: num('carbon_share'), max_offline_discount: num('max_offline_discount'), floor_credits: num('floor_credits') }, 'pricing-msg'); };
    $('#key-form').onsubmit = async e => { e.preventDefault(); const r = await send('key-form', '/api/v1/admin/keys', 'POST', { name: $('#key_name').value }, 'key-msg');
      if (r) { $('#key-msg').innerHTML = `Key for <strong>${esc(r.name)}</strong> (account <code>${esc(r.account_id)}</code>), shown once: <code>${esc(r.key)}</code>`; } };
    $('#grant-form').onsubmit = async e => { e.preventDefault(); const r = await send('grant-form', `/api/v1/admin/accounts/${encodeURIComponent($('#grant_account').value)}/grants`, 'POST',
      { credits: num('grant_credits') }, 'grant-msg'); if (r) { $('#grant-msg').textContent = `Granted; balance ${fmt(r.balance, 2)}.`; } };
  },
};

function runningRow(j) {
  const p = j.progress || {};
  const pct = p.steps ? Math.round(100 * p.step / p.steps) : 0;
  return `<tr data-running="${j.id}"><td><a href="#/jobs/${j.id}">${esc(j.prompt.slice(0, 40))}</a></td><td class="phase">${esc(p.phase || 'starting')}</td>
    <td><div class="progress" role="progressbar" aria-valuemin="0" aria-valuemax="${p.steps || 0}" aria-valuenow="${p.step || 0}" aria-label="denoising steps"><span style="width:${pct}%"></span></div>
    <span class="muted step">${p.steps ? `step ${p.step} of ${p.steps}` : ''}</span></td></tr>`;
}

async function jobPage(view, id) {
  const j = await api('/api/v1/jobs/' + id);
  let deliveries = { deliveries: [] };
  try { deliveries = await api(`/api/v1/jobs/${id}/deliveries`); } catch (e) { /* none */ }
  const f = j.footprint, c = j.credits, p = j.progress || {};
  const pct = p.steps ? Math.round(100 * p.step / p.steps) : (j.state === 'succeeded' ? 100 : 0);
  view.innerHTML = `<h1>${esc(j.prompt.slice(0, 80))}</h1>
    <p><span class="state ${j.state}" id="job-state">${j.state}</span> · ${j.mode} · ${j.resolution}, ${j.duration_s} s, ${j.steps} steps · region ${esc(j.region || j.plan?.region || '–')}
    ${['deferred', 'queued', 'running', 'retrying'].includes(j.state) ? '<button type="button" id="cancel" class="secondary">Cancel</button>' : ''}</p>
    ${j.plan ? `<p class="reason" id="plan-reason">${esc(j.plan.reason)}</p>` : ''}
    <div class="progress" role="progressbar" aria-label="denoising steps" aria-valuenow="${p.step || 0}" aria-valuemax="${p.steps || 0}"><span id="job-progress" style="width:${pct}%"></span></div>
    <p class="muted" id="job-step">${p.steps ? `${esc(p.phase)}: step ${p.step} of ${p.steps}` : ''}</p>
    <div class="grid">
      <div class="card"><h2>Video</h2><div id="video">${j.state === 'succeeded' ? '<p class="muted">Loading…</p>' : '<p class="muted">Not ready.</p>'}</div></div>
      <div class="card"><h2>Energy per phase</h2>${f ? barChart({ bars: ['encode', 'denoise', 'decode', 'mux'].map(k => ({ label: k, value: f.energy_j[k] })), unit: 'J', label: 'energy per phase', height: 180 })
        + `<p class="muted">${fmt(f.energy_j.total, 1)} J measured by <strong>${esc(f.sensor)}</strong></p>` : '<p class="muted">After the job succeeds.</p>'}</div>
      <div class="card" id="footprint"><h2>Footprint</h2>${f ? barChart({ bars: [{ label: 'operational', value: f.operational_g || 0, color: '#0d5a8c' },
        { label: 'embodied', value: f.embodied_g, color: '#b7791f' }, { label: 'if run at submit', value: f.run_now_g || 0, color: '#8a9a91' }], unit: 'gCO2e', label: 'footprint', height: 180 })
        + `<p>${fmt(f.total_g, 4)} gCO2e in total; saved ${fmt(f.saved_g, 4)} g against running at once. Intensity ${fmt(f.intensity_g_per_kwh, 0)} g/kWh (${esc(f.intensity_source)}), PUE ${f.pue}.</p>` : '<p class="muted">After the job succeeds.</p>'}</div>
      <div class="card"><h2>Credits</h2>${c ? `<table><tbody><tr><th>Quoted</th><td>${fmt(c.quoted, 4)}</td></tr><tr><th>Held</th><td>${fmt(c.held, 4)}</td></tr><tr><th>Charged</th><td>${fmt(c.charged, 4)}</td></tr>
        <tr><th>Refunded</th><td>${fmt(c.refunded, 4)}</td></tr><tr><th>Discount</th><td>${fmt(c.discount * 100, 0)} %</td></tr></tbody></table>` : '<p class="muted">Not priced.</p>'}</div>
    </div>
    <h2>Timeline</h2><ol class="timeline">${j.events.map(e => `<li>${time(e.at)}: ${e.from ? esc(e.from) + ' → ' : ''}<strong>${esc(e.to)}</strong> — ${esc(e.reason)} <span class="muted">(${esc(e.actor)})</span></li>`).join('')}</ol>
    <h2>Webhook deliveries</h2>${deliveries.deliveries.length ? `<table><thead><tr><th>Event</th><th>Target</th><th>State</th><th>Attempts</th><th>Last</th></tr></thead><tbody>${deliveries.deliveries.map(d =>
      `<tr><td>${esc(d.event_type)}</td><td>${esc(d.url)}</td><td>${esc(d.state)}</td><td>${d.attempts}</td><td>${esc(d.last_status ?? d.last_error ?? '')}</td></tr>`).join('')}</tbody></table>` : '<p class="muted">None.</p>'}`;
  if ($('#cancel')) { $('#cancel').onclick = async () => { await api(`/api/v1/jobs/${id}/cancel`, { method: 'POST', body: '{}' }); route(); }; }
  // the planner revises a deferred job's plan at every tick without a change of state, so no live event says so:
  // while the job waits, look every 5 s and redraw only when the plan or the state has changed
  if (j.state === 'deferred') {
    const shown = JSON.stringify([j.state, j.plan || null]);
    state.poll = setInterval(async () => {
      if (state.page !== 'jobs/' + id || document.hidden) { return; }
      try {
        const now = await api('/api/v1/jobs/' + id);
        if (JSON.stringify([now.state, now.plan || null]) !== shown) { route(); }
      } catch (e) { /* try again at the next look */ }
    }, 5000);
  }
  if (j.state === 'succeeded') {
    try {
      const res = await fetch(`/api/v1/jobs/${id}/artifact`, { headers: { Authorization: 'Bearer ' + state.key } });
      if (res.ok) {
        const url = URL.createObjectURL(await res.blob());
        $('#video').innerHTML = res.headers.get('Content-Type').startsWith('video/') ? `<video controls loop autoplay muted src="${url}" aria-label="generated video"></video>`
          : `<img class="video" src="${url}" alt="generated video (animated)">`;
      } else { $('#video').innerHTML = '<p class="muted">This engine writes no video.</p>'; }
    } catch (e) { $('#video').innerHTML = '<p class="error">Could not load the video.</p>'; }
  }
}

/* ---------- live updates ---------- */
function connectEvents() {
  if (state.events) { state.events.close(); }
  state.events = new EventSource('/api/v1/events?token=' + encodeURIComponent(state.key));
  // after a reconnect (node restarted, stream closed because the tab fell behind) redraw: changes may have been missed
  let opened = false;
  state.events.onopen = () => { if (opened) { route(); } opened = true; };
  state.events.addEventListener('progress', e => {
    const p = JSON.parse(e.data);
    const pct = p.steps ? Math.round(100 * p.step / p.steps) : 0;
    const row = document.querySelector(`[data-running="${p.job_id}"]`);
    if (row) { row.querySelector('.phase').textContent = p.phase; row.querySelector('.progress > span').style.width = pct + '%';
      row.querySelector('.step').textContent = p.steps ? `step ${p.step} of ${p.steps}` : ''; }
    if (state.page === 'jobs/' + p.job_id) { const bar = $('#job-progress'); if (bar) { bar.style.width = pct + '%'; }
      const st = $('#job-step'); if (st) { st.textContent = p.steps ? `${p.phase}: step ${p.step} of ${p.steps}` : p.phase; } }
  });
  state.events.addEventListener('job', e => {
    const c = JSON.parse(e.data);
    say(`Job ${c.job_id.slice(0, 8)} is now ${c.to}`);
    if (state.page === 'jobs/' + c.job_id || state.page === 'queues' || state.page === 'jobs') { clearTimeout(state.refresh); state.refresh = setTimeout(route, 250); }
  });
}

/* ---------- routing and sign-in ---------- */
function go(hash) { location.hash = hash; }
async function route() {
  if (!state.key) { $('#signin').hidden = false; $('#view').innerHTML = ''; return; }
  $('#signin').hidden = true;
  const [name, arg] = (location.hash.replace(/^#\//, '').split('?')[0] || 'queues').split('/');
  state.page = arg ? `${name}/${arg}` : name;
  // worker heartbeats and counts change without a job event: the queues page also redraws every 5 s while shown
  clearInterval(state.poll);
  if (state.page === 'queues') { state.poll = setInterval(() => { if (state.page === 'queues' && !document.hidden) { route(); } }, 5000); }
  document.querySelectorAll('nav a').forEach(a => a.classList.toggle('active', a.getAttribute('href') === '#/' + name));
  const view = $('#view');
  try { await (pages[name] || pages.queues)(view, arg); }
  catch (e) { if (e.status === 401) { signOut(); return; } view.innerHTML = `<p class="error" role="alert">${esc(problemText(e))}</p>`; }
}
async function signIn(key) {
  state.key = key;
  try { state.me = await api('/api/v1/account'); }
  catch (e) { state.key = null; throw e; }
  sessionStorage.setItem('greenlight.key', key);
  $('#who').textContent = `${state.me.name} · ${fmt(state.me.balance, 2)} credits`;
  $('#signout').hidden = false;
  $('#nav-admin').hidden = state.me.role !== 'admin';
  connectEvents();
}
function signOut() { sessionStorage.removeItem('greenlight.key'); state.key = null; state.me = null; if (state.events) { state.events.close(); }
  $('#who').textContent = ''; $('#signout').hidden = true; route(); }
$('#signin-form').onsubmit = async e => {
  e.preventDefault();
  try { await signIn($('#apikey').value.trim()); $('#signin-error').textContent = ''; route(); }
  catch (err) { $('#signin-error').textContent = err.status === 401 ? 'That key is not valid.' : problemText(err); }
};
$('#signout').onclick = signOut;
window.addEventListener('hashchange', route);
(async () => { if (state.key) { try { await signIn(state.key); } catch (e) { state.key = null; } } route(); })();
