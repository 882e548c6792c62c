using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Xunit.Abstractions;

namespace LlmCache.Chaos.Tests;

/// <summary>
/// Runs a planned mix of calls on concurrent workers, in phases the scenario opens one after another. The scenario
/// lets calls start only up to a ceiling it raises, so a fault (a kill, a restart) lands after a known number of
/// calls, and the calls after a restart can be paced while the scenario waits for the store to come back.
/// </summary>
public sealed class ChaosRun
{
    private readonly PlannedCall[] _plan;
    private readonly IChaosService _service;
    private readonly SimulatedModel _model;
    private readonly TimeSpan _interval;
    private readonly List<PhaseFigures> _phases = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly object _gate = new();
    private TaskCompletionSource _raised = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _ceiling;
    private int _issued;
    private int _completed;
    private volatile PhaseFigures? _phase;

    /// <param name="plan">The calls, in the order they start.</param>
    /// <param name="service">The cached methods.</param>
    /// <param name="model">Their implementations' model.</param>
    /// <param name="interval">The least time between the starts of two calls of one worker (none by default).</param>
    public ChaosRun(PlannedCall[] plan, IChaosService service, SimulatedModel model, TimeSpan interval = default)
    {
        _plan = plan;
        _service = service;
        _model = model;
        _interval = interval;
    }

    /// <summary>How many calls have returned or thrown.</summary>
    public int Completed => Volatile.Read(ref _completed);

    /// <summary>How many calls may start.</summary>
    public int Ceiling
    {
        get
        {
            lock (_gate)
            {
                return _ceiling;
            }
        }
    }

    public IReadOnlyList<PhaseFigures> Phases => _phases;

    /// <summary>Starts <paramref name="workers"/> workers; the task ends when every planned call has been made.</summary>
    public Task RunAsync(int workers, CancellationToken cancellationToken) =>
        Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(() => WorkAsync(cancellationToken), cancellationToken)));

    /// <summary>Ends the current phase and starts <paramref name="name"/>; calls that start from now count in it.</summary>
    public PhaseFigures BeginPhase(string name)
    {
        _phase?.End(_model);
        var phase = new PhaseFigures(name, _model);
        _phases.Add(phase);
        _phase = phase;
        return phase;
    }

    /// <summary>Ends the last phase.</summary>
    public void EndPhase() => _phase?.End(_model);

    /// <summary>
    /// Prints the run's figures (<paramref name="setting"/>, the totals, one line per phase, then
    /// <paramref name="notes"/>) and asserts what every scenario promises: each planned call was answered, none threw
    /// and none got a wrong answer.
    /// </summary>
    public void ReportAndAssertEveryCallAnswered(ITestOutputHelper output, string title, IEnumerable<string> setting, IEnumerable<string> notes)
    {
        int exceptions = _phases.Sum(p => p.Exceptions);
        int wrong = _phases.Sum(p => p.Wrong);
        var lines = new List<string>(setting)
        {
            $"total: exceptions {exceptions}, wrong answers {wrong}, model calls {_model.Calls}, elapsed {_clock.Elapsed.TotalSeconds:F1} s",
        };
        lines.AddRange(_phases.Select(p => p.ToString()));
        lines.AddRange(notes);
        Scenario.Print(output, title, lines);

        string failures = string.Join(Environment.NewLine, _phases.SelectMany(p => p.Failures));
        Assert.True(exceptions == 0, "Callers saw exceptions: " + failures);
        Assert.True(wrong == 0, "Callers got wrong answers: " + failures);
        Assert.Equal(_plan.Length, _phases.Sum(p => p.Calls));
    }

    /// <summary>Lets calls up to number <paramref name="ceiling"/> (exclusive) start.</summary>
    public void Allow(int ceiling)
    {
        TaskCompletionSource raised;
        lock (_gate)
        {
            _ceiling = Math.Min(Math.Max(_ceiling, ceiling), _plan.Length);
            raised = _raised;
            _raised = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        raised.TrySetResult();
    }

    /// <summary>Lets calls up to <paramref name="ceiling"/> start and waits until all of them have returned.</summary>
    public async Task RunUntilAsync(int ceiling, CancellationToken cancellationToken)
    {
        Allow(ceiling);
        while (Completed < Math.Min(ceiling, _plan.Length))
        {
            await Task.Delay(5, cancellationToken);
        }
    }

    /// <summary>
    /// Lets calls start a few at a time (<paramref name="step"/> per <paramref name="pause"/>) until
    /// <paramref name="condition"/> holds, <paramref name="deadline"/> passes or the ceiling reaches
    /// <paramref name="limit"/>; returns how long the condition took, or <c>null</c> if it never held.
    /// </summary>
    public async Task<TimeSpan?> PaceUntilAsync(Func<bool> condition, int limit, TimeSpan deadline, CancellationToken cancellationToken, int step = 8, int pauseMilliseconds = 20)
    {
        var clock = Stopwatch.StartNew();
        while (!condition() && clock.Elapsed < deadline && Ceiling < limit)
        {
            await RunUntilAsync(Math.Min(Ceiling + step, limit), cancellationToken);
            await Task.Delay(pauseMilliseconds, cancellationToken);
        }

        return condition() ? clock.Elapsed : null;
    }

    private async Task WorkAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            int number = Interlocked.Increment(ref _issued) - 1;
            if (number >= _plan.Length)
            {
                return;
            }

            await WaitAllowedAsync(number, cancellationToken);
            PhaseFigures phase = _phase ?? throw new InvalidOperationException("A call started before the first phase.");
            PlannedCall call = _plan[number];
            var outcome = new CacheOutcome();
            long start = Stopwatch.GetTimestamp();
            try
            {
                bool right = await call.RunAsync(_service, outcome);
                phase.Record(outcome, right, Stopwatch.GetElapsedTime(start), call);
            }
            catch (Exception exception)
            {
                phase.RecordException(exception, Stopwatch.GetElapsedTime(start), call);
            }

            Interlocked.Increment(ref _completed);
            if (_interval - Stopwatch.GetElapsedTime(start) is { Ticks: > 0 } rest)
            {
                await Task.Delay(rest, cancellationToken);
            }
        }
    }

    private async Task WaitAllowedAsync(int number, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task raised;
            lock (_gate)
            {
                if (number < _ceiling)
                {
                    return;
                }

                raised = _raised.Task;
            }

            await raised.WaitAsync(cancellationToken);
        }
    }
}
