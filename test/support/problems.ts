import type { ApiResponse } from './http-client';

/** An RFC 9457 problem+json answer with this status, with nothing internal in it. */
export function expectProblem(response: ApiResponse, status: number): void {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({ type: expect.any(String), title: expect.any(String), status, detail: expect.any(String), instance: expect.any(String) });
  expect(response.text).not.toMatch(/\bat \w+ \(|node_modules|SELECT|INSERT|QueryFailedError|TypeError|FST_|Exception/);
}

/** Any answer a client can get: never a 5xx but 503, and every error is problem+json. */
export function expectContractAnswer(response: ApiResponse): void {
  expect(response.status === 503 || response.status < 500).toBe(true);
  if (response.status >= 400) expectProblem(response, response.status);
}
