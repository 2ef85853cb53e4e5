// The editor's Markdown component: CodeMirror 6 over a form's <textarea>, which stays the form's field.
// window.WolMarkdown.attach(textarea, options) → {view, getValue, setValue, insert, focus}
//   options.vocabulary(): a Promise of {people: [{handle, name}], topics: [{tag, aliases, count}]}
//   options.onFiles(files): files pasted or dropped into the text
//   options.label: the text's accessible name (else the textarea's label)
// Every change is copied into the textarea and announced there with an `input` event.
import { EditorState } from "@codemirror/state";
import { EditorView, keymap, placeholder, drawSelection } from "@codemirror/view";
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { markdownLanguage } from "@codemirror/lang-markdown";
import { syntaxHighlighting, LanguageSupport } from "@codemirror/language";
import { classHighlighter } from "@lezer/highlight";
import { autocompletion, completionKeymap } from "@codemirror/autocomplete";

/* global WOL_PINNED */

function wrap(view, before, after, empty) {
  view.dispatch(view.state.changeByRange((range) => {
    const text = view.state.sliceDoc(range.from, range.to) || empty;
    const insert = before + text + after;
    return {
      changes: { from: range.from, to: range.to, insert },
      range: { anchor: range.from + before.length, head: range.from + before.length + text.length },
    };
  }));
  view.focus();
  return true;
}

function prefixLines(view, prefix) {
  const { state } = view;
  const changes = [];
  const seen = new Set();
  for (const range of state.selection.ranges) {
    for (let pos = range.from; pos <= range.to;) {
      const line = state.doc.lineAt(pos);
      if (!seen.has(line.number)) {
        seen.add(line.number);
        const mark = typeof prefix === "function" ? prefix(seen.size) : prefix;
        if (!line.text.startsWith(mark)) changes.push({ from: line.from, insert: mark });
      }
      pos = line.to + 1;
    }
  }
  view.dispatch({ changes });
  view.focus();
  return true;
}

const ACTIONS = [
  { name: "bold", label: "Bold", key: "Mod-b", glyph: "B", run: (v) => wrap(v, "**", "**", "bold text") },
  { name: "italic", label: "Italic", key: "Mod-i", glyph: "I", run: (v) => wrap(v, "_", "_", "italic text") },
  { name: "heading", label: "Heading", glyph: "H", run: (v) => prefixLines(v, "## ") },
  { name: "link", label: "Link", key: "Mod-k", glyph: "Link", run: (v) => wrap(v, "[", "](https://)", "link text") },
  { name: "bullets", label: "Bulleted list", glyph: "•", run: (v) => prefixLines(v, "- ") },
  { name: "numbers", label: "Numbered list", glyph: "1.", run: (v) => prefixLines(v, (n) => `${n}. `) },
  { name: "quote", label: "Quote", glyph: "❝", run: (v) => prefixLines(v, "> ") },
  { name: "code", label: "Code", key: "Mod-e", glyph: "</>", run: (v) => {
    const range = v.state.selection.main;
    const text = v.state.sliceDoc(range.from, range.to);
    return text.includes("\n") ? wrap(v, "```\n", "\n```", "") : wrap(v, "`", "`", "code");
  } },
];

function keyName(key) {
  const mac = /Mac|iPhone|iPad/.test(navigator.platform || "");
  return key.replace("Mod-", mac ? "⌘" : "Ctrl+").toUpperCase().replace("CTRL+", "Ctrl+");
}

// A WAI-ARIA toolbar: one tab stop, arrow keys move between its buttons.
function toolbar(view, labelledBy) {
  const bar = document.createElement("div");
  bar.className = "wol-md-toolbar";
  bar.setAttribute("role", "toolbar");
  bar.setAttribute("aria-label", "Formatting");
  if (labelledBy) bar.setAttribute("aria-controls", labelledBy);
  const buttons = ACTIONS.map((action, i) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "wol-md-toolbar__" + action.name;
    button.textContent = action.glyph;
    const label = action.label + (action.key ? ` (${keyName(action.key)})` : "");
    button.setAttribute("aria-label", label);
    button.title = label;
    button.tabIndex = i === 0 ? 0 : -1;
    button.addEventListener("mousedown", (event) => event.preventDefault());  // keep the text's selection
    button.addEventListener("click", () => action.run(view));
    bar.appendChild(button);
    return button;
  });
  bar.addEventListener("keydown", (event) => {
    const at = buttons.indexOf(document.activeElement);
    if (at < 0) return;
    const next = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: buttons.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const to = (next + buttons.length) % buttons.length;
    buttons[at].tabIndex = -1;
    buttons[to].tabIndex = 0;
    buttons[to].focus();
  });
  return bar;
}

// @handles and #topics as they are typed: what the site knows, matched on handle, name, tag or alias.
function completions(vocabulary) {
  let loaded = null;
  const load = () => (loaded = loaded || Promise.resolve(vocabulary()).catch(() => ({ people: [], topics: [] })));
  return async (context) => {
    const word = context.matchBefore(/[@#][\p{L}\p{N}._-]*/u);
    if (!word) return null;
    const before = word.from > 0 ? context.state.sliceDoc(word.from - 1, word.from) : "";
    if (/[\p{L}\p{N}_&/#@.]/u.test(before)) return null;  // an e-mail address, a URL's anchor, a heading's ##
    const query = word.text.slice(1).toLowerCase();
    const data = await load();
    let options;
    if (word.text[0] === "@") {
      options = (data.people || []).filter((p) => p.handle.startsWith(query)
          || (p.name || "").toLowerCase().split(/\s+/).some((part) => part.startsWith(query)))
        .map((p) => ({ label: "@" + p.handle, detail: p.name, type: "variable", apply: "@" + p.handle + " " }));
    } else {
      options = [];
      for (const t of data.topics || []) {
        const alias = (t.aliases || []).find((a) => a.startsWith(query));
        if (t.tag.startsWith(query) || alias) {
          options.push({ label: "#" + t.tag, type: "keyword", apply: "#" + t.tag + " ",
                         detail: alias && !t.tag.startsWith(query) ? `for #${alias}` : `${t.count} used`,
                         boost: Math.min(t.count || 0, 99) });
        }
      }
      options.sort((a, b) => b.boost - a.boost);
    }
    if (!options.length) return null;
    return { from: word.from, options: options.slice(0, 30), filter: false };
  };
}

function attach(textarea, options = {}) {
  const label = options.label || textarea.getAttribute("aria-label")
    || (textarea.labels && textarea.labels[0] ? textarea.labels[0].textContent.replace(/\s+/g, " ") : "")
    || "Text";
  const host = document.createElement("div");
  host.className = "wol-md";
  textarea.insertAdjacentElement("afterend", host);
  textarea.hidden = true;
  const sync = EditorView.updateListener.of((update) => {
    if (!update.docChanged) return;
    textarea.value = update.state.doc.toString();
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  });
  const files = EditorView.domEventHandlers({
    paste(event) {
      const list = event.clipboardData && event.clipboardData.files;
      if (list && list.length && options.onFiles) { event.preventDefault(); options.onFiles(list); return true; }
      return false;
    },
    drop(event) {
      const list = event.dataTransfer && event.dataTransfer.files;
      if (list && list.length && options.onFiles) { event.preventDefault(); options.onFiles(list); return true; }
      return false;
    },
  });
  const view = new EditorView({
    parent: host,
    state: EditorState.create({
      doc: textarea.value,
      extensions: [
        history(), drawSelection(), EditorView.lineWrapping,
        new LanguageSupport(markdownLanguage), syntaxHighlighting(classHighlighter),
        autocompletion({ override: [completions(options.vocabulary || (() => ({})))], icons: false }),
        keymap.of([
          ...ACTIONS.filter((a) => a.key).map((a) => ({ key: a.key, run: a.run })),
          ...completionKeymap, ...defaultKeymap, ...historyKeymap,
        ]),
        placeholder(textarea.getAttribute("placeholder") || ""),
        EditorView.contentAttributes.of({ "aria-label": label.trim(), spellcheck: "true", autocorrect: "on" }),
        sync, files,
      ],
    }),
  });
  host.insertBefore(toolbar(view, textarea.id), view.dom);
  const editor = {
    view,
    getValue: () => view.state.doc.toString(),
    setValue(text) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    },
    insert(text) {
      const range = view.state.selection.main;
      view.dispatch({ changes: { from: range.from, to: range.to, insert: text },
                      selection: { anchor: range.from + text.length } });
    },
    focus: () => view.focus(),
  };
  textarea.wolEditor = editor;
  return editor;
}

window.WolMarkdown = { attach, pinned: WOL_PINNED };
