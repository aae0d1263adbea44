using Mem0.Core.Projects;

namespace Mem0.Server.Hosting;

/// <summary>What the start-up produced, for the banner and for tests: the default project and the generated key, if any.</summary>
public sealed class ServerState
{
    private readonly TaskCompletionSource<BootstrapResult> _bootstrap = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<BootstrapResult> Bootstrap => _bootstrap.Task;

    internal void SetBootstrap(BootstrapResult result) => _bootstrap.TrySetResult(result);

    internal void FailBootstrap(Exception exception) => _bootstrap.TrySetException(exception);
}
