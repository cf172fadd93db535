// CSV downloads of a view's data: the rows the API sent, written out as RFC 4180 CSV (a header
// row, then one row per record; numbers exactly as received). Formatting only.
function Cell(value) {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

// columns: [{key, header}] or strings; rows: objects. A column key may be a function of the row.
export function ToCsv(columns, rows) {
  const cols = columns.map((column) => (typeof column === 'string' ? {key: column} : column));
  const lines = [cols.map((column) => Cell(column.header || column.key)).join(',')];
  for (const row of rows) {
    lines.push(cols.map((column) => Cell(typeof column.key === 'function' ? column.key(row) : row[column.key])).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

export function Download(filename, text) {
  const blob = new Blob([text], {type: 'text/csv;charset=utf-8'});
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

// The provenance object of a value as one CSV cell: "official: BNS table 6576" or
// "estimated: <method>".
export function ProvenanceText(provenance) {
  if (!provenance) return '';
  if (typeof provenance === 'string') return provenance;
  const what = provenance.source || provenance.method || '';
  return what ? `${provenance.kind}: ${what}` : provenance.kind || '';
}
