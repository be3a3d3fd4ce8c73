using System.Runtime.CompilerServices;

// Every import is blittable (pointers, integers, sd_id128_t), so calls need no marshalling stubs.
[assembly: DisableRuntimeMarshalling]
