// Reference portal script: no framework, no build. Everything it does is one documented API call.
(function () {
  'use strict';
  var token = sessionStorage.getItem('bimplusToken') || '';
  var source = null;
  var messages = new Map();
  var list = document.getElementById('messages');
  var statusLine = document.getElementById('status');

  function api(method, path) {
    return fetch(path, { method: method, headers: { Authorization: 'BimPlus ' + token } }).then(function (response) {
      if (!response.ok) throw new Error(method + ' ' + path + ': HTTP ' + response.status);
      return response.json();
    });
  }

  function render() {
    list.textContent = '';
    var sorted = Array.from(messages.values()).sort(function (a, b) { return a.timestamp < b.timestamp ? 1 : -1; });
    sorted.forEach(function (m) {
      var item = document.createElement('li');
      item.dataset.id = m.id;
      if (m.unreadBrowserNotification) item.className = 'unread';
      var text = document.createElement('div');
      var title = document.createElement('strong');
      title.textContent = m.topic;
      title.className = 'sev-' + m.severity;
      var meta = document.createElement('div');
      meta.className = 'meta';
      meta.textContent = m.severity + ' · ' + m.source + ' · ' + m.returnCode + ' · ' + new Date(m.timestamp).toLocaleString();
      text.append(title, meta);
      item.append(text);
      if (m.unreadBrowserNotification) {
        var button = document.createElement('button');
        button.textContent = 'Mark as read';
        button.className = 'mark-read';
        button.addEventListener('click', function () { markRead(m.id); });
        item.append(button);
      }
      list.append(item);
    });
  }

  function popup(m) {
    var box = document.createElement('div');
    box.className = 'popup';
    box.dataset.id = m.id;
    box.textContent = '[' + m.severity + '] ' + m.topic + ' — ' + m.source;
    document.getElementById('popups').append(box);
    setTimeout(function () { box.remove(); }, 8000);
  }

  function markRead(id) {
    api('POST', '/v2/messages/' + encodeURIComponent(id) + '/markasreadbrowser').then(function (m) {
      messages.set(m.id, m);
      render();
    }, showError);
  }

  function showError(error) {
    statusLine.textContent = String(error.message || error);
  }

  function connect() {
    if (source) source.close();
    messages.clear();
    api('GET', '/v2/user/me/messages?limit=100').then(function (page) {
      page.forEach(function (m) { messages.set(m.id, m); });
      render();
      source = new EventSource('/v2/user/me/messages/stream?accessToken=' + encodeURIComponent(token));
      source.onopen = function () { statusLine.textContent = 'Connected; waiting for messages.'; };
      source.onerror = function () { statusLine.textContent = 'Stream interrupted; reconnecting…'; };
      source.addEventListener('message', function (event) {
        var m = JSON.parse(event.data);
        messages.set(m.id, m);
        render();
        popup(m);
      });
      source.addEventListener('updated', function (event) {
        var m = JSON.parse(event.data);
        if (m.topic !== undefined) messages.set(m.id, m);
        render();
      });
      source.addEventListener('deleted', function (event) {
        messages.delete(JSON.parse(event.data).id);
        render();
      });
    }, showError);
  }

  document.getElementById('login').addEventListener('submit', function (event) {
    event.preventDefault();
    token = document.getElementById('token').value.trim();
    sessionStorage.setItem('bimplusToken', token);
    connect();
  });
  if (token) {
    document.getElementById('token').value = token;
    connect();
  }
})();
