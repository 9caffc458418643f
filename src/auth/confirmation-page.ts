/**
 * What a person who clicks the e-mailed link sees when CONFIRM_URL points at the API itself: a
 * small self-contained page (no scripts, no outside assets), not JSON.
 */
export function confirmationPage(confirmed: boolean): string {
  const [title, text] = confirmed
    ? ['Your address is confirmed', 'Welcome to Chop-chop: you can log in now.']
    : ['This link has expired', 'The confirmation link is invalid, expired or already used. Log in to have a new one sent.'];
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${title} — Chop-chop</title>
    <style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;line-height:1.5;color:#222}h1{color:${confirmed ? '#2e7d32' : '#c62828'}}</style>
  </head>
  <body>
    <h1>${title}</h1>
    <p>${text}</p>
  </body>
</html>`;
}

/** True when the client asked for a page (a browser following the link), not for JSON. */
export function wantsHtml(accept: string | undefined): boolean {
  return !!accept && accept.includes('text/html');
}
