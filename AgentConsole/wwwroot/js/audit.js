// Downloads an export while reporting how many lines have arrived, so long exports show progress.
export async function downloadWithProgress(url, fileName, dotnet) {
    const response = await fetch(url, { credentials: 'same-origin' });
    if (!response.ok) {
        let detail = response.statusText;
        try { detail = (await response.json()).detail ?? detail; } catch { /* not JSON */ }
        return { ok: false, error: detail, lines: 0 };
    }
    const total = Number(response.headers.get('X-Total-Count') ?? '0');
    const reader = response.body.getReader();
    const chunks = [];
    let lines = 0;
    let last = 0;
    for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        for (let i = 0; i < value.length; i++) if (value[i] === 10) lines++;
        const now = Date.now();
        if (now - last > 200) {
            last = now;
            await dotnet.invokeMethodAsync('OnExportProgress', lines, total);
        }
    }
    await dotnet.invokeMethodAsync('OnExportProgress', lines, total);
    const blob = new Blob(chunks, { type: response.headers.get('Content-Type') ?? 'application/octet-stream' });
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = fileName;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10000);
    return { ok: true, error: null, lines };
}
