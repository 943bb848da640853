# frozen_string_literal: true

# rspec_run.rb <report.xml> <spec files...>: runs RSpec (no .rspec or spec_helper options files
# are read: --options points at an empty file) and writes every example to a JUnit report.
# A spec file that does not load is one `error` case with RSpec's message.
report_path = ARGV.shift
files = ARGV.dup
ARGV.clear
require_relative 'junit_xml'
require 'rspec/core'
require 'stringio'

err = StringIO.new
tee = Object.new
tee.define_singleton_method(:write) { |*a| err.write(*a); $stderr.write(*a) }
tee.define_singleton_method(:puts) { |*a| err.puts(*a); $stderr.puts(*a) }
tee.define_singleton_method(:print) { |*a| err.print(*a); $stderr.print(*a) }
tee.define_singleton_method(:flush) { $stderr.flush }
tee.define_singleton_method(:sync=) { |_v| }
tee.define_singleton_method(:tty?) { false }

ENV.delete('SPEC_OPTS')
status = RSpec::Core::Runner.run(['--options', '/dev/null', '--no-color', '--format', 'documentation', *files], tee, $stderr)
cases = RSpec.world.all_examples.map do |ex|
  r = ex.execution_result
  st = { passed: :passed, failed: :failed, pending: :skipped }.fetch(r.status, :error)
  msg = if r.exception
          e = r.exception
          [e.message, *Array(e.backtrace).reject { |l| l.include?('/rspec-') }.first(5)].join("\n")
        else
          r.pending_message.to_s
        end
  group = ex.example_group
  { suite: group.parent_groups.last.description, name: ex.full_description, file: ex.metadata[:file_path].to_s.delete_prefix('./'),
    status: st, message: msg, time: r.run_time }
end
if RSpec.world.non_example_failure || cases.empty?
  text = err.string
  cases << { suite: 'rspec', name: 'load specs', file: nil, status: :error,
             message: text.empty? ? 'RSpec found no examples' : text[-16_384..] || text, time: 0 }
end
SandboxJUnitXml.write(report_path, 'rspec', cases)
exit status
