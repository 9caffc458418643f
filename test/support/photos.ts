import sharp from 'sharp';
import type { Account } from './accounts';
import type { ApiResponse } from './http-client';
import type { TestApp } from './test-app';

/** POSTs `file` as the multipart `file` part of an upload to the post, as `who`. */
export async function uploadPhoto(t: TestApp, who: Account, postId: string, file: Buffer, name = 'x.png', type?: string): Promise<ApiResponse> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(file)], type ? { type } : {}), name);
  const response = await fetch(`${t.http.baseUrl}/api/v1/posts/${postId}/photos`, { method: 'POST', headers: { authorization: `Bearer ${who.accessToken}` }, body: form });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined, text };
}

/** A small solid-colour PNG. */
export function pngOf(size: number, background: string): Promise<Buffer> {
  return sharp({ create: { width: size, height: size, channels: 3, background } }).png().toBuffer();
}
