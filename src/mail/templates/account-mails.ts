import { type RenderedMail, renderActionMail } from './mail-template';

export function confirmationMail(firstName: string, link: string): RenderedMail {
  return renderActionMail({
    subject: 'Confirm your Chop-chop account',
    firstName,
    intro: 'Welcome to Chop-chop! Confirm your e-mail address to start sharing recipes.',
    actionLabel: 'Confirm my e-mail',
    link,
    footnote: 'The link works once and expires in 24 hours. If you did not sign up, ignore this e-mail.',
  });
}

export function passwordResetMail(firstName: string, link: string): RenderedMail {
  return renderActionMail({
    subject: 'Reset your Chop-chop password',
    firstName,
    intro: 'Someone (hopefully you) asked to reset the password of your Chop-chop account.',
    actionLabel: 'Choose a new password',
    link,
    footnote: 'The link works once and expires in 1 hour. If you did not ask for it, ignore this e-mail: your password stays as it is.',
  });
}
