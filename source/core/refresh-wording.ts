/** The one sentence for a profile without a refresh token (status, the dashboard, `refresh`, `token --check`).
 * Kept apart from profile-actions so the light commands can say it without loading the HTTP stack. */
export const NO_REFRESH_TOKEN = 'no refresh token: log in again when this one stops working';

/** After a refresh whose reply carried no new refresh token: the one sent is spent (Chat's may be single-use). */
export const REFRESH_TOKEN_SPENT = `Zendesk sent no new refresh token, so the profile now has ${NO_REFRESH_TOKEN}`;
