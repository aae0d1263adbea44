namespace Mem0.Azure.Tests.Infrastructure;

/// <summary>A fact that needs the compiled Bicep template; skipped, saying why, when no Bicep CLI or compiled template exists.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class BicepFactAttribute : FactAttribute
{
    public BicepFactAttribute()
    {
        if (CompiledTemplate.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
