// Target against actual for one indicator (Chart.js, served locally): over the years for a
// unit, and for its child units ranked (horizontal bars). Each canvas names its data script.
document.addEventListener("DOMContentLoaded", () => {
  if (!window.Chart) return;
  const colours = ["#6c757d", "#0d6efd"];
  for (const canvas of document.querySelectorAll("canvas.indicator-chart")) {
    const source = document.getElementById(canvas.dataset.source);
    if (!source) continue;
    const data = JSON.parse(source.textContent);
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: data.series.map((s, i) => ({ label: s.label, data: s.data, backgroundColor: colours[i % 2] })),
      },
      options: {
        indexAxis: data.horizontal ? "y" : "x",
        maintainAspectRatio: false,
        plugins: { legend: { position: "bottom" } },
      },
    });
  }
});
