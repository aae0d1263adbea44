namespace Mem0.Server.Tests.Webhooks;

/// <summary>A fact that needs the Azurite started by ./test.sh; skipped, with the reason, when it is not configured.</summary>
public sealed class AzuriteFactAttribute : FactAttribute
{
    public const string Variable = "MEM0_TEST_AZURITE_CONNECTION_STRING";

    public AzuriteFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            Skip = $"{Variable} is not set: run ./test.sh (it starts Azurite on 127.0.0.1) to run the Storage queue tests.";
        }
    }

    public static string? ConnectionString => Environment.GetEnvironmentVariable(Variable);
}
