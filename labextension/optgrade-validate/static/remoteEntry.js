// A JupyterLab 4 prebuilt extension written by hand (no bundler: it imports nothing, so a module-federation
// container of one module is all JupyterLab needs). nbgrader's Validate dialog says "Success! Your notebook
// passes all the tests." when the visible checks pass, although no hidden test has run; this plugin rewrites
// that one sentence, in that one dialog, to what is true (otter-grader's issue #138 chose the same words).
var _JUPYTERLAB;
(function () {
  "use strict";
  var NBGRADER = "Success! Your notebook passes all the tests.";
  var TRUE = "Visible checks passed; hidden tests run at grading.";

  function rewrite() {
    var dialogs = document.querySelectorAll("#validation-message.validation-success p");
    for (var i = 0; i < dialogs.length; i++) {
      if (dialogs[i].textContent === NBGRADER) {
        dialogs[i].textContent = TRUE;
      }
    }
  }

  var plugin = {
    id: "optgrade-validate:truthful-success",
    description: "Validate's success sentence says that hidden tests run at grading.",
    autoStart: true,
    activate: function () {
      new MutationObserver(rewrite).observe(document.body, { childList: true, subtree: true });
    },
  };

  var modules = {
    "./extension": function () {
      return { __esModule: true, default: [plugin] };
    },
  };
  var container = {
    get: function (name) {
      if (!Object.prototype.hasOwnProperty.call(modules, name)) {
        return Promise.reject(new Error('Module "' + name + '" does not exist in container.'));
      }
      return Promise.resolve(modules[name]);
    },
    init: function () {},
  };
  _JUPYTERLAB = _JUPYTERLAB === undefined ? {} : _JUPYTERLAB;
  _JUPYTERLAB["optgrade-validate"] = container;
})();
