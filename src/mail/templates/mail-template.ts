export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (value: string): string => value.replace(/[&<>"']/g, (c) => ESCAPES[c]);

/** One layout for every e-mail: a greeting, a paragraph, a button-link and a footnote; text and HTML alike. */
export function renderActionMail(options: {
  subject: string;
  firstName: string;
  intro: string;
  actionLabel: string;
  link: string;
  footnote: string;
}): RenderedMail {
  const { subject, firstName, intro, actionLabel, link, footnote } = options;
  const text = `Hi ${firstName},\n\n${intro}\n\n${actionLabel}: ${link}\n\n${footnote}\n\n— Chop-chop\n`;
  const html = `<!DOCTYPE html><html><body style="font-family:sans-serif;line-height:1.5">
<p>Hi ${escapeHtml(firstName)},</p>
<p>${escapeHtml(intro)}</p>
<p><a href="${escapeHtml(link)}" style="background:#e4572e;color:#fff;padding:10px 16px;border-radius:4px;text-decoration:none">${escapeHtml(actionLabel)}</a></p>
<p style="color:#666;font-size:13px">${escapeHtml(footnote)}<br>If the button does not work, open ${escapeHtml(link)}</p>
<p>— Chop-chop</p>
</body></html>`;
  return { subject, text, html };
}
