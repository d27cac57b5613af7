// Our only script: start GOV.UK Frontend's components and wire small helpers.
// Loaded as <script type="module">, so it runs under `script-src 'self'` with no inline JS.
import { initAll } from '/static/vendor/govuk/govuk-frontend.min.js'

initAll()

// <button type="button" data-copy-target="feed-url">Copy</button> copies the value (or
// text) of #feed-url, then says so in the button for a moment and to screen readers.
function wireCopyButtons () {
  if (!navigator.clipboard) return
  for (const button of document.querySelectorAll('[data-copy-target]')) {
    const target = document.getElementById(button.dataset.copyTarget)
    if (!target) continue
    const label = button.textContent
    button.hidden = false
    button.addEventListener('click', async () => {
      const text = 'value' in target ? target.value : target.textContent.trim()
      try {
        await navigator.clipboard.writeText(text)
        button.textContent = button.dataset.copiedText || 'Copied'
      } catch {
        button.textContent = 'Copy failed: select the text and copy it'
      }
      window.setTimeout(() => { button.textContent = label }, 3000)
    })
  }
}

wireCopyButtons()
