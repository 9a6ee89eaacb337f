// What Decap CMS needs from Careleaf in the browser (served by scripts/careleaf/authoring/editor.py).
// The "careleaf-notes" widget shows what the editor's server says about a page as it opens: its
// clinical approval, its red-flag card beside the English card's, and what changed in the English
// since a translation was made. It is shown, never edited, and never written to the page.
(function () {
  const h = window.h;
  const Notes = window.createClass({
    render() {
      return h(
        "div",
        { className: this.props.classNameWrapper, style: { whiteSpace: "pre-wrap" }, "data-careleaf-notes": "" },
        String(this.props.value || ""),
      );
    },
  });
  window.CMS.registerWidget("careleaf-notes", Notes);

  // The preview: the site itself, built by the editor's server with the article's saved draft, every
  // language (the page's own switcher changes it), as readers will see it. The words are the page's
  // (careleaf-editor.html, from locales/en.yml).
  const words = document.body.dataset;
  const Preview = window.createClass({
    render() {
      const slug = this.props.entry.get("slug");
      if (!slug || this.props.entry.get("newRecord")) {
        return h("p", {}, words.previewUnsaved);
      }
      return h("div", {}, [
        h("p", { key: "note" }, words.previewNote),
        h("iframe", {
          key: "site",
          src: words.previewOrigin + "/preview/" + encodeURIComponent(slug) + "/",
          sandbox: "allow-scripts allow-same-origin allow-popups",
          title: words.previewTitle,
          style: { width: "100%", height: "85vh", border: "0" },
        }),
      ]);
    },
  });
  window.CMS.registerPreviewTemplate("articles", Preview);
})();
