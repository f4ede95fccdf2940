/* global document, getComputedStyle, NodeFilter, HTMLInputElement, HTMLSelectElement, HTMLTextAreaElement */
// Checks that run inside the page (see browser.ts): plain JavaScript, evaluated as a string.
/* eslint-disable @typescript-eslint/no-unused-vars */

/** Text whose contrast with its first opaque background is below `min`. */
function lowContrastText(min) {
    const parse = (value) => {
      const m = /rgba?\(([^)]+)\)/.exec(value);
      if (m === null || m[1] === undefined) return null;
      const parts = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
      return [parts[0] ?? 0, parts[1] ?? 0, parts[2] ?? 0, parts[3] ?? 1];
    };
    const luminance = ([r, g, b]) => {
      const ch = (v) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * ch(r ?? 0) + 0.7152 * ch(g ?? 0) + 0.0722 * ch(b ?? 0);
    };
    const backgroundOf = (el) => {
      for (let e = el; e !== null; e = e.parentElement) {
        const bg = parse(getComputedStyle(e).backgroundColor);
        if (bg !== null && bg[3] >= 0.99) return bg;
      }
      return [255, 255, 255, 1];
    };
    const problems = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const seen = new Set();
    for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
      const el = node.parentElement;
      if (el === null || seen.has(el) || (node.textContent ?? '').trim() === '') continue;
      seen.add(el);
      const style = getComputedStyle(el);
      const rect = el.getBoundingClientRect();
      if (style.visibility === 'hidden' || style.display === 'none' || rect.width === 0 || rect.height === 0 || el.closest('.sr-only, [aria-hidden="true"]') !== null) continue;
      if (el.closest('button:disabled') !== null) continue; // disabled controls are exempt in WCAG
      const fg = parse(style.color);
      if (fg === null) continue;
      const bg = backgroundOf(el);
      // Blend a translucent text colour over its background.
      const a = fg[3];
      const mixed = [fg[0] * a + bg[0] * (1 - a), fg[1] * a + bg[1] * (1 - a), fg[2] * a + bg[2] * (1 - a)];
      const l1 = luminance(mixed);
      const l2 = luminance(bg);
      const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
      if (ratio < min) problems.push({ text: (node.textContent ?? '').trim().slice(0, 60), ratio: Math.round(ratio * 100) / 100, color: style.color, background: `rgb(${bg.slice(0, 3).join(', ')})` });
    }
    return problems;
}

/** Controls (buttons, links, form fields) without an accessible name. */
function unnamedControls() {
    const nameOf = (el) => {
      const labelledBy = el.getAttribute('aria-labelledby');
      if (labelledBy !== null) return labelledBy.split(' ').map((id) => document.getElementById(id)?.textContent ?? '').join(' ').trim();
      const aria = el.getAttribute('aria-label');
      if (aria !== null && aria.trim() !== '') return aria.trim();
      if (el instanceof HTMLInputElement || el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement) {
        const labels = [...(el.labels ?? [])].map((l) => l.textContent ?? '').join(' ').trim();
        if (labels !== '') return labels;
        return el.getAttribute('title') ?? '';
      }
      return (el.textContent ?? '').trim() || (el.getAttribute('title') ?? '');
    };
    const out = [];
    for (const el of document.querySelectorAll('button, a[href], input, select, textarea, [role="button"]')) {
      if (el.closest('[hidden], dialog:not([open])') !== null) continue;
      if (nameOf(el) === '') out.push(el.outerHTML.slice(0, 120));
    }
    return out;
}
