/**
 * The *minimal* hand-written post-login Action for the CPU and cold-start benchmarks: the same
 * code as sample-post-login.js (three sample specs: subscription-enrichment, token-claims,
 * social-profile), except that it compares a metadata value with the profile before writing
 * it, so it makes exactly the api calls the generated Action makes (no `setUserMetadata` /
 * `setAppMetadata` for an unchanged value). tests/bench/baseline-equivalence.test.ts checks
 * the same profile, claims, access outcome, requests and the same api calls.
 */
const NS = 'https://acme.example/';
const BILLING = 'https://billing.acme.example/v2';
const TIERS = ['trial', 'standard', 'premium'];
const STATUSES = ['active', 'past_due', 'cancelled'];
const HOUR = 3600 * 1000;

/** Text of a string, number or boolean, lower-cased; null for anything else. */
function lowerText(v) {
  if (typeof v === 'string') return v.toLowerCase();
  if ((typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean') return String(v).toLowerCase();
  return null;
}

/** `en_us` → `en-US`, `zh-hant-tw` → `zh-Hant-TW`; null when it is not a locale. */
function normalizeLocale(v) {
  if (typeof v !== 'string') return null;
  const tags = v.trim().split(/[-_]/);
  if (!/^[a-z]{2,3}$/i.test(tags[0])) return null;
  const out = [];
  for (let i = 0; i < tags.length; i++) {
    const t = tags[i];
    if (!/^[a-z0-9]{1,8}$/i.test(t)) return null;
    if (i === 0) out.push(t.toLowerCase());
    else if (/^[a-z]{4}$/i.test(t)) out.push(t.charAt(0).toUpperCase() + t.slice(1).toLowerCase());
    else if (/^([a-z]{2}|\d{3})$/i.test(t)) out.push(t.toUpperCase());
    else out.push(t.toLowerCase());
  }
  return out.join('-');
}

function toBoolean(v) {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isNaN(v) ? null : v !== 0;
  if (typeof v === 'string') {
    const w = v.trim().toLowerCase();
    if (['true', 'yes', 'y', '1', 'on'].includes(w)) return true;
    if (['false', 'no', 'n', '0', 'off'].includes(w)) return false;
  }
  return null;
}

/** Same JSON value (the profile holds JSON only). */
const same = (a, b) => a === b || (a != null && b != null && typeof a === 'object' && JSON.stringify(a) === JSON.stringify(b));

const identity = (user, provider) => (user.identities || []).find((i) => i && i.provider === provider) || null;

exports.onExecutePostLogin = async (event, api) => {
  const user = event.user;
  const app = user.app_metadata || {};
  const um = user.user_metadata || {};
  const setApp = (k, v) => {
    if (!same(app[k], v)) api.user.setAppMetadata(k, v);
  };

  // --- social profile: copy the Google locale and the Facebook custom data
  const google = identity(user, 'google-oauth2');
  if (google && google.profileData) {
    const locale = normalizeLocale(google.profileData.locale);
    if (locale && !same(um.preferred_locale, locale)) api.user.setUserMetadata('preferred_locale', locale);
  }
  const facebook = identity(user, 'facebook');
  if (facebook && facebook.profileData && facebook.profileData.custom_facebook_data != null) {
    setApp('facebook_custom_data', facebook.profileData.custom_facebook_data);
  }

  // --- token claims: roles for APIs, beta flag for apps
  if (Array.isArray(app.roles)) api.accessToken.setCustomClaim(`${NS}roles`, app.roles);
  const beta = toBoolean(um.beta_tester);
  api.idToken.setCustomClaim(`${NS}beta_tester`, beta === null ? false : beta);

  // --- subscription enrichment: refresh the tier at most every 24 hours
  const lastSync = app.last_subscription_sync;
  const stale = lastSync != null && Date.now() - Date.parse(lastSync) > 24 * HOUR;
  let subscription = null;
  if (stale || app.subscription_tier == null) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 1000);
    try {
      const res = await fetch(`${BILLING}/users/${encodeURIComponent(user.user_id)}/subscription`, {
        headers: { accept: 'application/json', 'x-api-key': event.secrets.BILLING_API_KEY },
        signal: controller.signal,
      });
      if (!res.ok) throw new Error(`billing answered ${res.status}`);
      const text = await res.text();
      subscription = text.trim() === '' ? null : JSON.parse(text);
    } catch (err) {
      console.log(`subscription lookup failed: ${err.name}`);
      subscription = null;
    } finally {
      clearTimeout(timer);
    }
  }
  const fetchedTier = lowerText(subscription && subscription.tier);
  const status = lowerText(subscription && subscription.status);
  if (fetchedTier !== null && TIERS.includes(fetchedTier)) setApp('subscription_tier', fetchedTier);
  if (status !== null && STATUSES.includes(status)) setApp('subscription_status', status);
  if (subscription != null) setApp('last_subscription_sync', new Date().toISOString());

  const tier = fetchedTier != null ? fetchedTier : app.subscription_tier != null ? app.subscription_tier : null;
  api.idToken.setCustomClaim(`${NS}subscription_tier`, tier != null ? tier : 'standard');

  // --- access: apps may require a tier; trials older than 30 days go to the upgrade page
  const required = event.client.metadata ? event.client.metadata.required_subscription_tier : null;
  if (required != null) {
    if (tier !== required) {
      api.access.deny('Your subscription tier does not permit access to this application.');
      return;
    }
  }
  const ageDays = (Date.now() - Date.parse(user.created_at)) / (24 * HOUR);
  if (tier === 'trial' && ageDays > 30) {
    const secret = event.secrets.UPGRADE_TOKEN_SECRET;
    if (!api.redirect.canRedirect() || !secret) {
      api.access.deny('Your trial has ended. Sign in again in your browser to upgrade.');
      return;
    }
    const token = api.redirect.encodeToken({ secret, expiresInSeconds: 600, payload: { tier } });
    api.redirect.sendUserTo('https://acme.example/upgrade', { query: { plan: 'premium', session_token: token } });
  }
};

exports.onContinuePostLogin = async (event, api) => {
  let payload;
  try {
    payload = api.redirect.validateToken({ secret: event.secrets.UPGRADE_TOKEN_SECRET, tokenParameterName: 'session_token' });
  } catch {
    api.access.deny('We could not confirm your upgrade. Please sign in again.');
    return;
  }
  const tier = typeof payload.tier === 'string' ? payload.tier.toLowerCase() : null;
  if (tier !== null && TIERS.includes(tier) && (event.user.app_metadata || {}).subscription_tier !== tier) api.user.setAppMetadata('subscription_tier', tier);
  if (tier !== null) api.idToken.setCustomClaim(`${NS}subscription_tier`, tier);
  if (tier === 'trial' || tier === null) api.access.deny('Your trial has ended. Upgrade to continue.');
};
