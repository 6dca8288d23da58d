// Keyboard shortcuts of the review queue. One keydown listener per page; keys go to .NET as names, except while the
// reviewer types in a field (only Escape and Enter-to-submit pass) or a dialog is open (Enter confirms it).
const shortcuts = new Set(['j', 'k', 'ArrowDown', 'ArrowUp', 'a', 'r', 'e', 'g', 't', 'c', 'x', '?', 'Escape']);

function typing(target) {
    if (!target || !(target instanceof Element)) return false;
    return target.isContentEditable || target.matches('input, textarea, select, [role="combobox"]');
}

export function attach(dotnet) {
    const handler = (event) => {
        if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
        const dialog = document.querySelector('.mud-dialog-container .mud-dialog');
        if (dialog) {
            // MudBlazor closes the dialog on Escape itself; Enter presses its default button.
            const confirm = dialog.querySelector('[data-dialog-default]');
            if (event.key === 'Enter' && confirm && !(event.target instanceof HTMLTextAreaElement)) {
                event.preventDefault();
                confirm.click();
            }
            return;
        }
        if (typing(event.target)) {
            if (event.key === 'Escape') {
                event.target.blur();
                dotnet.invokeMethodAsync('OnShortcut', 'Escape');
            } else if (event.key === 'Enter' && !event.shiftKey && event.target.closest('[data-enter-submits]')) {
                // The field's value travels with the key: the server may not have seen the last keystroke yet.
                event.preventDefault();
                const field = event.target.closest('[data-enter-submits]');
                dotnet.invokeMethodAsync('OnSubmitField', field.getAttribute('data-enter-submits'), event.target.value ?? '');
            }
            return;
        }
        if (!shortcuts.has(event.key)) return;
        event.preventDefault();
        dotnet.invokeMethodAsync('OnShortcut', event.key);
    };
    document.addEventListener('keydown', handler);
    return { dispose: () => document.removeEventListener('keydown', handler) };
}

// Keeps the selected row in view as j/k move through a long list.
export function reveal(selector) {
    const element = document.querySelector(selector);
    if (element) element.scrollIntoView({ block: 'nearest' });
}

export function focus(selector) {
    const element = document.querySelector(selector);
    if (element) element.focus();
}
