/* Voronka web form embed script: turns <form data-voronka-form="TOKEN"> into a form that posts to Voronka.
 * Plain ES2017, no dependencies. Served at /api/public/embed.js.
 * Usage: <form data-voronka-form="TOKEN">…</form><script src="https://crm.example.ru/api/public/embed.js" defer></script>
 * Or: Voronka.attach('#my-form', 'TOKEN').
 * Options on the form: data-voronka-endpoint (full URL, overrides the token), data-voronka-success (thank-you
 * text), data-voronka-redirect (URL to open after success). Events on the form: voronka:success {leadId},
 * voronka:error {status, message}. UTM tags and the first referrer are kept for the visit (sessionStorage). */
/* global window, document, location, fetch, sessionStorage, FormData, CustomEvent, URLSearchParams */
(function () {
  'use strict';
  if (window.Voronka && window.Voronka.attach) return;

  var UTM = ['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content'];
  var STORE = 'voronka_visit';
  var script = document.currentScript;
  var base = '';
  try {
    base = new URL(script && script.src ? script.src : location.href).origin;
  } catch (e) {
    base = '';
  }

  function readVisit() {
    try {
      return JSON.parse(sessionStorage.getItem(STORE) || '{}') || {};
    } catch (e) {
      return {};
    }
  }

  // First landing of the visit: keep utm_* and the external referrer across pages.
  function rememberVisit() {
    var visit = readVisit();
    var params;
    try {
      params = new URLSearchParams(location.search);
    } catch (e) {
      return visit;
    }
    var changed = false;
    UTM.forEach(function (k) {
      var v = params.get(k);
      if (v && v !== visit[k]) {
        visit[k] = v.slice(0, 500);
        changed = true;
      }
    });
    if (!visit.referrer && document.referrer && document.referrer.indexOf(location.origin) !== 0) {
      visit.referrer = document.referrer.slice(0, 2000);
      changed = true;
    }
    if (!visit.landing) {
      visit.landing = location.href.slice(0, 2000);
      changed = true;
    }
    if (changed) {
      try {
        sessionStorage.setItem(STORE, JSON.stringify(visit));
      } catch (e) {
        /* private mode */
      }
    }
    return visit;
  }

  function collect(form) {
    var data = {};
    var fd = new FormData(form);
    fd.forEach(function (value, key) {
      if (typeof value !== 'string') return; // files are not sent
      if (Object.prototype.hasOwnProperty.call(data, key)) data[key] = data[key] + ', ' + value;
      else data[key] = value;
    });
    var visit = rememberVisit();
    UTM.forEach(function (k) {
      if (!data[k] && visit[k]) data[k] = visit[k];
    });
    if (!data.page_url) data.page_url = location.href;
    if (!data.referrer && (visit.referrer || document.referrer)) data.referrer = visit.referrer || document.referrer;
    if (visit.landing && visit.landing !== location.href && !data.landing_page) data.landing_page = visit.landing;
    return data;
  }

  function randomKey() {
    var s = '';
    for (var i = 0; i < 4; i++) s += Math.floor(Math.random() * 0x100000000).toString(36);
    return Date.now().toString(36) + '-' + s;
  }

  function message(form, text, isError) {
    var box = form.querySelector('[data-voronka-message]');
    if (!box) {
      box = document.createElement('div');
      box.setAttribute('data-voronka-message', '');
      box.setAttribute('role', isError ? 'alert' : 'status');
      form.appendChild(box);
    }
    box.className = isError ? 'voronka-error' : 'voronka-success';
    box.textContent = text; // never innerHTML: the text comes from a server
    return box;
  }

  function emit(form, name, detail) {
    try {
      form.dispatchEvent(new CustomEvent(name, { detail: detail, bubbles: true }));
    } catch (e) {
      /* old browsers */
    }
  }

  function setBusy(form, busy) {
    var buttons = form.querySelectorAll('button, input[type=submit]');
    for (var i = 0; i < buttons.length; i++) buttons[i].disabled = busy;
    if (busy) form.setAttribute('aria-busy', 'true');
    else form.removeAttribute('aria-busy');
  }

  async function post(url, body, key) {
    var lastError = null;
    // One retry on a network failure or 503, with the same Idempotency-Key: never a duplicate lead.
    for (var attempt = 0; attempt < 2; attempt++) {
      try {
        var res = await fetch(url, {
          method: 'POST',
          mode: 'cors',
          credentials: 'omit',
          headers: { 'Content-Type': 'application/json', 'Idempotency-Key': key },
          body: JSON.stringify(body),
        });
        if (res.status === 503 && attempt === 0) {
          await new Promise(function (r) {
            setTimeout(r, 1000);
          });
          continue;
        }
        var json = null;
        try {
          json = await res.json();
        } catch (e) {
          json = null;
        }
        return { status: res.status, json: json };
      } catch (e) {
        lastError = e;
        await new Promise(function (r) {
          setTimeout(r, 800);
        });
      }
    }
    throw lastError || new Error('network');
  }

  function endpointOf(form, token) {
    var explicit = form.getAttribute('data-voronka-endpoint');
    if (explicit) return explicit;
    return base + '/api/public/forms/' + encodeURIComponent(token);
  }

  function attach(target, token) {
    var forms =
      typeof target === 'string'
        ? document.querySelectorAll(target)
        : target && target.length !== undefined && !target.tagName
          ? target
          : [target];
    for (var i = 0; i < forms.length; i++) {
      var form = forms[i];
      if (!form || form.tagName !== 'FORM' || form.__voronka) continue;
      var t = token || form.getAttribute('data-voronka-form');
      if (!t && !form.getAttribute('data-voronka-endpoint')) continue;
      form.__voronka = true;
      form.addEventListener('submit', handler(form, t));
    }
  }

  function handler(form, token) {
    var key = null;
    var sending = false;
    return async function (event) {
      event.preventDefault();
      if (sending) return;
      sending = true;
      if (!key) key = randomKey(); // kept until success: a re-submit after an error is the same request
      setBusy(form, true);
      try {
        var res = await post(endpointOf(form, token), collect(form), key);
        if (res.status === 200 || res.status === 201) {
          var text = form.getAttribute('data-voronka-success') || (res.json && res.json.message) || 'Спасибо! Заявка отправлена.';
          var leadId = res.json && res.json.leadId;
          key = null;
          emit(form, 'voronka:success', { leadId: leadId });
          var redirect = form.getAttribute('data-voronka-redirect');
          if (redirect) {
            location.href = redirect;
            return;
          }
          form.reset();
          var children = form.children;
          for (var i = 0; i < children.length; i++) {
            if (!children[i].hasAttribute('data-voronka-message')) children[i].style.display = 'none';
          }
          message(form, text, false);
        } else {
          var msg = res.json && res.json.error && res.json.error.message;
          if (res.status === 429) msg = 'Слишком много заявок подряд. Попробуйте через минуту.';
          message(form, msg || 'Не удалось отправить заявку. Попробуйте ещё раз.', true);
          emit(form, 'voronka:error', { status: res.status, message: msg || null });
        }
      } catch (e) {
        message(form, 'Не удалось отправить заявку: нет связи с сервером. Проверьте интернет и попробуйте ещё раз.', true);
        emit(form, 'voronka:error', { status: 0, message: null });
      } finally {
        sending = false;
        setBusy(form, false);
      }
    };
  }

  function init() {
    rememberVisit();
    attach('form[data-voronka-form], form[data-voronka-endpoint]');
  }

  window.Voronka = { attach: attach, version: 1 };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
