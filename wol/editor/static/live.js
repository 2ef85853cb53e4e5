/* Added by `wol serve` to every page of the site it serves.
 *
 * 1. Reloads the page when the site changed it: polls <root>api/changes every
 *    few seconds while the tab is visible (cheap requests, no long-held connections);
 *    not while the reader is typing in a field (the search box): then once they leave it.
 * 2. On a post or question: links to edit it (its author), to answer it, and
 *    buttons to accept an answer (the question's author).
 * 3. Under the post, the question and each answer: a "Reply" link (the editor's
 *    reply form), and "Edit or withdraw" on the reader's own replies.
 */
(function () {
  "use strict";
  var me = document.currentScript;
  var root = me.getAttribute("data-root") || "/";
  var version = parseInt(me.getAttribute("data-version") || "0", 10) || 0;
  var page = decodeURIComponent(location.pathname.slice(root.length));
  var POLL_MS = 1500;
  var writing = 0;

  // Our own writes (a vote from the theme's button) change this page too: when the
  // site answers with the version that holds only our change, take it without reloading.
  var fetch0 = window.fetch;
  window.fetch = function (input, init) {
    var method = ((init && init.method) || "GET").toUpperCase();
    var promise = fetch0.apply(this, arguments);
    if (method === "GET") return promise;
    writing++;
    promise.then(function (response) {
      return response.clone().json().then(function (data) {
        if (data && data.site_version === version + 1) version = data.site_version;
      });
    }).catch(function () {}).then(function () { writing--; });
    return promise;
  };

  function poll() {
    if (document.visibilityState !== "visible" || writing) return schedule();
    fetch0(root + "api/changes?since=" + version + "&page=" + encodeURIComponent(page), {
      credentials: "same-origin", cache: "no-store"
    }).then(function (r) { return r.ok ? r.json() : null; }).then(function (data) {
      if (!data) return;
      if (data.reload && !writing && !typing()) { location.reload(); return; }  // typing: after it
      if (!data.reload) version = Math.max(version, data.version);
    }).catch(function () {}).then(schedule);
  }
  // A reader typing in a field (the search box, a form) keeps their words: the reload waits.
  function typing() {
    var field = document.activeElement;
    return !!field && (field.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(field.tagName));
  }
  function schedule() { setTimeout(poll, POLL_MS); }
  schedule();

  // -- editing links on document pages ----------------------------------------
  var id = page.replace(/\/(index\.html)?$/, "");
  if (!/^(posts|questions)\//.test(id)) return;

  // The words of these links, in the site's language (pages.py's live_words); English until they come.
  var WORDS = {};
  function word(key, english) { return typeof WORDS[key] === "string" ? WORDS[key] : english; }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function link(href, text) {
    var a = el("a", "md-button wol-edit-link", text);
    a.href = href;
    return a;
  }

  function addReplyLinks(section, target) {
    (target.replies || []).forEach(function (reply) {
      var box = document.getElementById(reply.anchor);
      if (!reply.can_edit || !box) return;
      var actions = el("p", "wol-reply-actions");
      actions.appendChild(link(reply.edit_url, word("edit_reply", "Edit or withdraw")));
      box.appendChild(actions);
    });
    var line = el("p", "wol-reply-action");
    line.appendChild(link(target.reply_url, word("reply", "Reply")));
    section.appendChild(line);
  }

  Promise.all([
    fetch0(root + "api/documents/" + id, { credentials: "same-origin" }).then(function (r) { return r.ok ? r.json() : null; }),
    fetch0(root + "api/session", { credentials: "same-origin" }).then(function (r) { return r.ok ? r.json() : null; }),
    fetch0(root + "edit/words", { credentials: "same-origin" }).then(function (r) { return r.ok ? r.json() : {}; })
      .catch(function () { return {}; })
  ]).then(function (both) {
    WORDS = both[2] || {};
    var doc = both[0], session = both[1];
    if (!doc || !session) return;
    var bar = el("p", "wol-edit-bar");
    if (doc.can_edit) bar.appendChild(link(doc.edit_url, word("edit", "Edit")));
    // An unanswered question already gets the theme's own answer button (wol.js): one is enough.
    var themed = document.querySelector(".wol-answer-hint, .wol-answer-action");
    if (doc.kind === "question" && !themed) bar.appendChild(link(doc.answer_url, word("answer", "Answer this question")));
    if (bar.childNodes.length) {
      var header = document.querySelector(".wol-doc") || document.querySelector("article h1");
      if (header && header.parentNode) header.parentNode.insertBefore(bar, header.nextSibling);
    }
    var sections = document.querySelectorAll(".wol-replies");
    for (var i = 0; i < sections.length; i++) {
      var article = sections[i].closest("article.wol-answer");
      var target = article ? (doc.answers || []).filter(function (a) { return a.name === article.id; })[0] : doc;
      if (target) addReplyLinks(sections[i], target);
    }
    (doc.answers || []).forEach(function (answer) {
      var box = document.getElementById(answer.name);
      if (!box) return;
      var actions = el("p", "wol-answer-actions");
      if (answer.can_edit) actions.appendChild(link(answer.edit_url, word("edit", "Edit")));
      if (doc.can_accept) {
        var accepted = doc.accepted === answer.id;
        var button = el("button", "md-button" + (accepted ? "" : " md-button--primary"),
                        accepted ? word("withdraw_acceptance", "Withdraw acceptance") : word("accept", "Accept this answer"));
        button.type = "button";
        button.addEventListener("click", function () {
          button.disabled = true;
          fetch0(root + "api/questions/" + doc.id.replace(/^questions\//, "") + "/accept", {
            method: "POST", credentials: "same-origin",
            headers: { "Content-Type": "application/json", "X-CSRF-Token": session.csrf },
            body: JSON.stringify({ answer: accepted ? null : answer.id })
          }).then(function (r) { return r.json().then(function (data) { return [r.ok, data]; }); })
            .then(function (result) {
              if (result[0]) { location.reload(); return; }
              button.disabled = false;
              actions.appendChild(el("span", "wol-edit-error", " " + (result[1].error || word("failed", "failed"))));
            }).catch(function () { button.disabled = false; });
        });
        actions.appendChild(button);
      }
      if (actions.childNodes.length) box.appendChild(actions);
    });
  });
})();
