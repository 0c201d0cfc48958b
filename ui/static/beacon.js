// Beacon web UI: keeps the page's live section current and makes the filters filter as you type.
// The live section (#live) carries the address of its data (data-live) and the index it shows (data-index). We ask
// the server for that section again with ?index=N: the server holds the request, without a thread, until the data
// changes past N (or a few minutes pass), so the page updates as soon as something changes and costs nothing while
// nothing does. No polling loop, no full reload.
(function () {
  'use strict';

  var MAX_BACKOFF_MS = 60000;
  var status = document.querySelector('[data-live-status]');
  var current = null;

  function setStatus(text, offline) {
    if (!status) {
      return;
    }
    status.textContent = text;
    status.classList.toggle('offline', !!offline);
  }

  function withParams(url, params) {
    var u = new URL(url, window.location.href);
    Object.keys(params).forEach(function (k) { u.searchParams.set(k, params[k]); });
    return u.pathname + u.search;
  }

  function Live(section) {
    this.section = section;
    this.url = section.getAttribute('data-live');
    this.index = section.getAttribute('data-index') || '0';
    this.backoff = 1000;
    this.controller = null;
    this.stopped = false;
  }

  Live.prototype.start = function () {
    var self = this;
    if (self.stopped) {
      return;
    }
    self.controller = new AbortController();
    var url = withParams(self.url, {fragment: '1', index: self.index});
    fetch(url, {signal: self.controller.signal, headers: {Accept: 'text/html'}, credentials: 'same-origin'})
      .then(function (response) {
        if (!response.ok) {
          throw new Error('HTTP ' + response.status);
        }
        return response.text();
      })
      .then(function (html) {
        var template = document.createElement('template');
        template.innerHTML = html.trim();
        var fresh = template.content.querySelector('#live');
        if (!fresh) {
          throw new Error('no live section in the answer');
        }
        self.section.replaceWith(fresh);
        self.section = fresh;
        self.index = fresh.getAttribute('data-index') || '0';
        self.backoff = 1000;
        setStatus('Live', false);
        document.dispatchEvent(new CustomEvent('beacon:updated', {detail: {index: self.index}}));
        self.start();
      })
      .catch(function (error) {
        if (self.stopped || error.name === 'AbortError') {
          return;
        }
        setStatus('Reconnecting\u2026', true);
        window.setTimeout(function () { self.start(); }, self.backoff);
        self.backoff = Math.min(self.backoff * 2, MAX_BACKOFF_MS);
      });
  };

  Live.prototype.stop = function () {
    this.stopped = true;
    if (this.controller) {
      this.controller.abort();
    }
  };

  // A browser opens at most six connections to one server, and each live page holds one while it waits. A page
  // left for another (kept in the back/forward cache) or a tab in the background lets its connection go, and
  // catches up when it is shown again: otherwise a few such pages leave none for the page in front.
  function pauseWhenHidden() {
    function pause() {
      if (current && !current.stopped) {
        current.stop();
      }
    }
    function resume() {
      if (current && current.stopped) {
        current = new Live(current.section);
        current.start();
      }
    }
    window.addEventListener('pagehide', pause);
    window.addEventListener('pageshow', function (event) {
      if (event.persisted) {
        resume();
      }
    });
    document.addEventListener('visibilitychange', function () {
      if (document.visibilityState === 'hidden') {
        pause();
      } else {
        resume();
      }
    });
  }

  function startLive() {
    var section = document.getElementById('live');
    if (section && section.hasAttribute('data-live') && window.fetch && window.AbortController) {
      current = new Live(section);
      setStatus('Live', false);
      current.start();
    }
  }

  // Filters: show the matching rows as you type, keep the address shareable, and keep watching the new view.
  function wireFilters() {
    document.querySelectorAll('form[data-filter]').forEach(function (form) {
      var timer = null;
      form.addEventListener('input', function () {
        window.clearTimeout(timer);
        timer = window.setTimeout(function () {
          var params = new URLSearchParams();
          new FormData(form).forEach(function (value, name) {
            if (String(value).trim() !== '') {
              params.set(name, value);
            }
          });
          var query = params.toString();
          var url = form.getAttribute('action') + (query ? '?' + query : '');
          window.history.replaceState(null, '', url);
          if (current) {
            current.stop();
            current.section.setAttribute('data-live', url);
            current.section.setAttribute('data-index', '0');
            current = new Live(current.section);
            current.start();
          }
        }, 250);
      });
    });
  }

  function wireAutosubmit() {
    document.querySelectorAll('form[data-autosubmit] select').forEach(function (select) {
      select.addEventListener('change', function () { select.form.submit(); });
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    wireFilters();
    wireAutosubmit();
    startLive();
    pauseWhenHidden();
  });
}());
