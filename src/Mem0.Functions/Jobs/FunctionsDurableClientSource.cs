using Mem0.Core.Jobs;
using Microsoft.DurableTask.Client;

namespace Mem0.Functions.Jobs;

/// <summary>
/// The isolated worker hands out a <see cref="DurableTaskClient"/> only as a <c>[DurableClient]</c> binding of the
/// invocation (there is no client in DI). Triggers that schedule jobs run their handler inside <see cref="RunAsync"/>,
/// which makes the invocation's client visible to the singleton scheduler for that async flow only.
/// </summary>
public sealed class FunctionsDurableClientSource : IDurableClientSource
{
    private static readonly AsyncLocal<DurableTaskClient?> Current = new();

    public DurableTaskClient GetClient() =>
        Current.Value ?? throw new InvalidOperationException(
            "No Durable client for this invocation: a trigger that schedules jobs must take a [DurableClient] DurableTaskClient and call FunctionsDurableClientSource.RunAsync.");

    /// <summary>Runs <paramref name="handler"/> with <paramref name="client"/> as the scheduler's client; restored when it returns.</summary>
    public static async Task<T> RunAsync<T>(DurableTaskClient client, Func<Task<T>> handler)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(handler);
        Current.Value = client;
        return await handler();
    }
}
