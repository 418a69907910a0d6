// The payment page: Stripe's card Element and confirmCardPayment (Stripe.js comes from
// settings.STRIPE_JS_URL: Stripe's in production, the local Stripe server's in dev and tests).
(function () {
  'use strict';
  const form = document.getElementById('payment-form');
  if (!form || typeof Stripe === 'undefined') { return; }
  const locale = document.documentElement.lang || 'fr';
  const stripe = Stripe(form.dataset.publishableKey, {locale: locale});
  const elements = stripe.elements({locale: locale});
  const messages = JSON.parse(document.getElementById('card-error-messages').textContent);
  const card = elements.create('card', {hidePostalCode: true});
  const errors = document.getElementById('card-errors');
  const button = document.getElementById('pay-button');
  const progress = document.getElementById('payment-progress');
  card.mount('#card-element');
  button.disabled = false;

  function busy(on) {
    button.disabled = on;
    progress.hidden = !on;
    form.setAttribute('aria-busy', on ? 'true' : 'false');
  }

  // Back from the trip page after paying: a page restored from the browser's cache would
  // offer to pay again; ask the server, which leads a paid booking to its trip.
  window.addEventListener('pageshow', function (event) {
    if (event.persisted) { window.location.reload(); }
  });

  form.addEventListener('submit', async function (event) {
    event.preventDefault();
    errors.textContent = '';
    busy(true);
    const result = await stripe.confirmCardPayment(form.dataset.clientSecret, {
      payment_method: {card: card, billing_details: {name: form.dataset.name, email: form.dataset.email}},
    });
    if (result.error) {
      // Our own words, in the page's language, for the codes we know (Stripe's are English here).
      const code = result.error.decline_code === 'insufficient_funds' ? 'insufficient_funds' : result.error.code;
      errors.textContent = messages[code] || messages[''];
      busy(false);
      return;
    }
    const url = new URL(form.dataset.returnUrl, window.location.href);
    url.searchParams.set('payment_intent', result.paymentIntent.id);
    window.location.assign(url.toString());
  });
})();
