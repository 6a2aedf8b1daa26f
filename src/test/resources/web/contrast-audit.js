// WCAG 2.1 AA contrast audit of the page as rendered: every visible element with its own text, its colour (SVG text:
// its fill) composited over the backgrounds behind it, against 4.5:1 (3:1 for large text: 24 px, or 18.66 px bold).
// Returns the failures as strings. Backgrounds are the CSS background colours of the element and its ancestors;
// text drawn by SVG over an SVG shape is checked against the HTML background behind the chart.
function parse(s) {
  const m = /rgba?\(([^)]+)\)/.exec(s || '');
  if (!m) return null;
  const p = m[1].split(/[\s,\/]+/).filter(x => x).map(Number);
  return { rgb: p.slice(0, 3), a: p.length > 3 ? p[3] : 1 };
}
function luminance(rgb) {
  const c = rgb.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
  return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
}
function background(el) {
  const layers = [];
  for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
    const c = parse(getComputedStyle(e).backgroundColor);
    if (c && c.a > 0) { layers.push(c); if (c.a >= 1) break; }
  }
  let rgb = [255, 255, 255];
  for (let i = layers.length - 1; i >= 0; i--) {
    const c = layers[i];
    rgb = rgb.map((v, k) => c.rgb[k] * c.a + v * (1 - c.a));
  }
  return rgb;
}
const failures = [];
for (const el of document.querySelectorAll('body *')) {
  if (!Array.from(el.childNodes).some(n => n.nodeType === 3 && n.textContent.trim())) continue;
  if (el.closest('.sr-only, script, style, noscript, option')) continue;
  const box = el.getBoundingClientRect();
  if (box.width === 0 || box.height === 0) continue;
  const cs = getComputedStyle(el);
  if (cs.visibility === 'hidden' || cs.display === 'none') continue;
  const fg = parse(el instanceof SVGElement ? cs.fill : cs.color);
  if (!fg) continue;
  let alpha = fg.a;
  for (let e = el; e && e.nodeType === 1; e = e.parentElement) alpha *= parseFloat(getComputedStyle(e).opacity);
  if (alpha === 0) continue;
  const bg = background(el);
  const text = fg.rgb.map((v, k) => v * alpha + bg[k] * (1 - alpha));
  const l1 = luminance(text), l2 = luminance(bg);
  const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
  const size = parseFloat(cs.fontSize), bold = parseInt(cs.fontWeight, 10) >= 700;
  const needed = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
  if (ratio < needed) {
    failures.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' "' + el.textContent.trim().slice(0, 40) + '": '
      + ratio.toFixed(2) + ':1 < ' + needed + ':1');
  }
}
return failures;
