// The dashboard's only way to its data: GET requests to the kazmig JSON API (docs/http.md) on
// the same origin. Responses are kept for the page's life (the API is read-only).
const cache = new Map();

export class ApiError extends Error {
  constructor(path, status, message) {
    super(`${path}: ${message} (HTTP ${status})`);
    this.status = status;
  }
}

// GET /api/<path>?<params>; resolves to the parsed JSON, rejects with ApiError carrying the
// server's {"error"} message.
export function GetJson(path, params = {}) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') query.set(key, String(value));
  }
  const url = `/api/${path}${query.size ? `?${query}` : ''}`;
  if (!cache.has(url)) {
    const promise = fetch(url, {headers: {Accept: 'application/json'}}).then(async (response) => {
      let body = null;
      try {
        body = await response.json();
      } catch {
        body = null;
      }
      if (!response.ok) {
        cache.delete(url);
        throw new ApiError(url, response.status, (body && body.error) || response.statusText);
      }
      return body;
    });
    promise.catch(() => cache.delete(url));
    cache.set(url, promise);
  }
  return cache.get(url);
}

// Static files of the web root (the bundled world map).
export function GetAsset(path) {
  if (!cache.has(path)) {
    cache.set(path, fetch(path).then((response) => {
      if (!response.ok) throw new ApiError(path, response.status, response.statusText);
      return response.json();
    }));
  }
  return cache.get(path);
}

// GET /api/<path> for `year` when the document's `years` has it, else the API's default (latest)
// year: the year in the URL is shared by the views, and one view's year may not exist in
// another's data (asking anyway would be a 400).
export async function GetForYear(path, params, year) {
  const latest = await GetJson(path, params);
  const years = latest.years || [];
  if (!year || Number(year) === latest.year || !years.map(Number).includes(Number(year))) return latest;
  return GetJson(path, {...params, year});
}
