namespace Mem0.Server.Hosting;

/// <summary>Checks, before anything else starts, that the data directory exists (or can be created) and is writable.</summary>
internal static class DataDirectory
{
    /// <summary>Null when usable; otherwise a message for people saying what is wrong and what to do.</summary>
    public static string? Check(string path)
    {
        try
        {
            Directory.CreateDirectory(path);
            var probe = Path.Combine(path, $".write-test-{Environment.ProcessId}");
            File.WriteAllText(probe, "ok");
            File.Delete(probe);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return $"The data directory '{path}' is not writable ({ex.Message}). "
                + "Choose another with --Mem0:Server:DataDirectory=<path> or the environment variable Mem0__Server__DataDirectory.";
        }
    }
}
