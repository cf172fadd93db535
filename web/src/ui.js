// Small DOM helpers shared by the views: element builder, number formatting, the frame every
// view has (title, controls, chart, notes, CSV download and permalink).
import {Download, ToCsv} from './csv.js';

export function El(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') element.className = value;
    else if (key === 'text') element.textContent = value;
    else if (key.startsWith('on')) element.addEventListener(key.slice(2), value);
    else element.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

const formatters = new Map();
// A number with `decimals` decimals and thousands separators; '—' for a missing value.
export function FormatNumber(value, decimals = 0) {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  if (!formatters.has(decimals)) {
    formatters.set(decimals, new Intl.NumberFormat('en-GB', {
      minimumFractionDigits: decimals, maximumFractionDigits: decimals,
    }));
  }
  return formatters.get(decimals).format(value);
}

// Decimals for a table cell: what the API says, else integers for big numbers, else 2.
export function AutoDecimals(value) {
  if (typeof value !== 'number') return 0;
  return Math.abs(value) >= 1000 || Number.isInteger(value) ? 0 : 2;
}

export function ProvenanceBadge(provenance) {
  const kind = provenance && provenance.kind ? provenance.kind : 'unknown';
  const title = provenance ? [provenance.source, provenance.method, provenance.detail].filter(Boolean).join('; ') : '';
  return El('span', {class: `badge badge-${kind}`, title}, kind);
}

// A labelled <select>; options: [{value, label}].
export function Select(label, id, options, value, onChange) {
  const select = El('select', {id, onchange: (event) => onChange(event.target.value)});
  for (const option of options) {
    select.append(El('option', {value: option.value, selected: String(option.value) === String(value)}, option.label));
  }
  return El('label', {class: 'control', for: id}, El('span', {}, label), select);
}

// The frame of a view: <section> with a heading, a toolbar, the body and a footer with the
// notes, the CSV download (built by getCsv() from the JSON received) and the permalink.
export function ViewFrame({title, subtitle, controls = [], getCsv, permalink}) {
  const body = El('div', {class: 'view-body'});
  const notes = El('div', {class: 'notes'});
  const status = El('p', {class: 'status', role: 'status', 'aria-live': 'polite'});
  const csvButton = El('button', {
    type: 'button', class: 'action', onclick: () => {
      const csv = getCsv && getCsv();
      if (csv) Download(csv.filename, ToCsv(csv.columns, csv.rows));
    },
  }, 'Download CSV');
  const copyButton = El('button', {
    type: 'button', class: 'action', onclick: async () => {
      try {
        await navigator.clipboard.writeText(permalink());
        status.textContent = 'Permalink copied.';
      } catch {
        status.textContent = `Permalink: ${permalink()}`;
      }
    },
  }, 'Copy permalink');
  const link = El('a', {class: 'permalink', href: permalink()}, 'Permalink');
  const section = El('section', {class: 'view', 'aria-labelledby': 'view-title'},
      El('header', {class: 'view-header'},
          El('div', {}, El('h2', {id: 'view-title', tabindex: '-1'}, title),
              subtitle ? El('p', {class: 'subtitle'}, subtitle) : null),
          El('div', {class: 'actions'}, csvButton, copyButton, link)),
      El('div', {class: 'toolbar'}, controls),
      status, body, notes);
  let signature = null;
  return {
    section, body, notes, status,
    // Replaces the controls when `key` differs from the last call's (so a slider being dragged
    // is not rebuilt under the pointer), keeping keyboard focus on the control of the same id.
    setControls(nodes, key = Math.random()) {
      if (key === signature) return false;
      signature = key;
      const focused = document.activeElement && section.contains(document.activeElement) ? document.activeElement.id : '';
      section.querySelector('.toolbar').replaceChildren(...nodes);
      if (focused) {
        const again = document.getElementById(focused);
        if (again) again.focus();
      }
      return true;
    },
  };
}

// replaceChildren without the null entries of conditional children.
export function Fill(element, ...children) {
  element.replaceChildren(...children.flat().filter((child) => child !== null && child !== undefined && child !== false));
}

export function Note(text, kind = '') {
  return El('p', {class: `note ${kind}`}, text);
}

export function ShowError(container, error) {
  container.replaceChildren(El('p', {class: 'error', role: 'alert'}, `Could not load the data: ${error.message}`));
}
