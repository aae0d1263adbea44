namespace Mem0.Azure;

internal static class AzureMarker;
