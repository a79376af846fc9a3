/** A response with its JSON body parsed (or the raw text when it is not JSON). */
export interface HttpResponse<T = any> {
  status: number;
  body: T;
}

/** A response with its headers too, for the routes whose headers matter (`ETag`). */
export interface HttpExchange<T = any> extends HttpResponse<T> {
  headers: Headers;
}

/** Per-request bounds. */
export interface RequestOptions {
  /** Abort after this many ms: only stops a request a node never answers, so generous for a busy machine. @default 60000 */
  timeout?: number;
  /** Extra request headers (e.g. `Idempotency-Key`, or a `content-type` other than JSON). */
  headers?: Record<string, string>;
  /** Sent as is instead of the JSON of `body`, to try malformed input. */
  rawBody?: string;
}

/** A small JSON client for one node's base URL, on the global `fetch`. */
export class HttpClient {
  constructor(readonly baseUrl: string) {}

  get<T = any>(path: string, options?: RequestOptions): Promise<HttpResponse<T>> {
    return this.request('GET', path, undefined, options);
  }

  post<T = any>(path: string, body?: unknown, options?: RequestOptions): Promise<HttpResponse<T>> {
    return this.request('POST', path, body, options);
  }

  async request<T>(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<HttpResponse<T>> {
    const { status, body: parsed } = await this.exchange<T>(method, path, body, options);
    return { status, body: parsed };
  }

  /** A request whose answer keeps its headers. */
  async exchange<T = any>(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<HttpExchange<T>> {
    const { timeout = 60_000, headers = {}, rawBody } = options;
    const payload = rawBody ?? (body === undefined ? undefined : JSON.stringify(body));
    // A fresh connection per request: a reused idle one races the server's keep-alive timer, and a
    // starved test process loses that race (its request goes out on a socket the server closed).
    const common = { connection: 'close', ...headers };
    const response = await fetch(new URL(path, this.baseUrl), {
      method,
      headers: payload === undefined ? common : { 'content-type': 'application/json', ...common },
      body: payload,
      signal: AbortSignal.timeout(timeout),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // Not JSON: keep the text, the caller's assertion will show it.
    }
    return { status: response.status, body: parsed as T, headers: response.headers };
  }
}

/** `ECONNREFUSED`, `UND_ERR_SOCKET`, ...: what `fetch` says went wrong under its `fetch failed`. */
export function connectionError(error: unknown): string {
  const cause = (error as { cause?: { code?: string } }).cause;
  return cause?.code ?? (error instanceof Error ? error.message : String(error));
}
